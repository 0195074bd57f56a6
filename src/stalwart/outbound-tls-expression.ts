import { queryOptions } from "@tanstack/react-query";
import * as z from "zod/mini";
import type { JmapClient } from "../jmap/client";
import { MethodError } from "../jmap/errors";

// x:MtaOutboundStrategy's whole `tls` expression, for evaluating which TLS strategy it picks
// (the destination test, stalwart/delivery/picks.ts). Its own module, beside
// outbound-strategy.ts, so it loads with the test and not with the list's first download.

/** The `tls` expression as the server sent it (JSON, for stalwart/expression), or why not. */
export type TlsExpressionRead =
  | { isKnown: true; tls: unknown }
  | { isKnown: false; reason: string };

const rawOutboundSchema = z.looseObject({
  list: z.array(z.looseObject({ id: z.string(), tls: z.optional(z.unknown()) })),
});

/**
 * The whole `tls` expression, for evaluating which strategy it picks (the destination test).
 */
export const tlsExpressionQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["outbound-strategy", "tls-expression"],
    queryFn: async (): Promise<TlsExpressionRead> => {
      const responses = await client.call([
        {
          id: "o",
          name: "x:MtaOutboundStrategy/get",
          args: { ids: ["singleton"], properties: ["tls"] },
        },
      ]);
      try {
        const tls = responses.get("o", rawOutboundSchema).list[0]?.tls;
        if (tls === undefined)
          return { isKnown: false, reason: "The server did not send the outbound strategy." };
        return { isKnown: true, tls };
      } catch (error) {
        if (error instanceof MethodError)
          return {
            isKnown: false,
            reason:
              error.type === "forbidden"
                ? "your account may not read the outbound strategy (sysMtaOutboundStrategyGet)"
                : `the server could not read the outbound strategy (${error.type})`,
          };
        throw error;
      }
    },
    staleTime: 60_000,
  });
