import { expect, test } from "vitest";
import { basic, testServer } from "./test-support";

test("x:MtaOutboundStrategy/get answers the singleton with Stalwart's default tls expression", async () => {
  const server = await testServer();
  for (const ids of [["singleton"], null]) {
    const { name, args } = await server.one("x:MtaOutboundStrategy/get", { ids });
    expect(name).toBe("x:MtaOutboundStrategy/get");
    expect(args.notFound).toEqual([]);
    const [singleton] = args.list as Record<string, unknown>[];
    expect(singleton).toMatchObject({
      id: "singleton",
      tls: {
        match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
        else: "'default'",
      },
    });
    expect(Object.keys(singleton ?? {}).sort()).toEqual([
      "connection",
      "id",
      "route",
      "schedule",
      "tls",
    ]);
  }
  const other = await server.one("x:MtaOutboundStrategy/get", { ids: ["other"] });
  expect(other.args).toMatchObject({ list: [], notFound: ["other"] });
});

test("reading the outbound strategy needs sysMtaOutboundStrategyGet", async () => {
  const server = await testServer([
    {
      name: "tls-only",
      password: "pw-tls-only",
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
    },
  ]);
  const { args } = await server.one(
    "x:MtaOutboundStrategy/get",
    { ids: ["singleton"] },
    basic("tls-only", "pw-tls-only"),
  );
  expect(args).toEqual({
    type: "forbidden",
    description: "You are not authorized to perform this action",
  });
});

test("the outbound strategy has no /query", async () => {
  const server = await testServer();
  expect((await server.one("x:MtaOutboundStrategy/query", {})).args.type).toBe("unknownMethod");
});
