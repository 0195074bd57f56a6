import * as z from "zod/mini";
import {
  type AddressFacts,
  addressSchema,
  type DeliveryFacts,
  factsSchema,
  type HostFacts,
  hostSchema,
  mtaStsSchema,
  mxSchema,
  resolverSchema,
} from "./facts";

// The stream the server sends while it collects (one JSON object per frame), and the reducer
// that turns frames back into the facts object: the page and the tests assemble the same
// thing. Host and address frames are patches, merged by name, so a host can arrive in pieces
// (its addresses first, its TLSA later) and the page can show each piece as it comes.

/**
 * The page's own endpoint that streams these frames (on the page's origin, outside every path
 * proxy mode forwards to Stalwart): `GET PROBE_PATH?target=<domain or address>[&timeout=<s>]`
 * with the JMAP Authorization header; NDJSON, one frame per line, `start` first, `done` last.
 */
export const PROBE_PATH = "/probe/delivery";

export const hostPatchSchema = z.extend(z.partial(hostSchema), { name: z.string() });
export type HostPatch = z.infer<typeof hostPatchSchema>;

export const addressPatchSchema = z.extend(z.partial(addressSchema), { address: z.string() });
export type AddressPatch = z.infer<typeof addressPatchSchema>;

export const frameSchema = z.discriminatedUnion("type", [
  /** Always first: the target, the source and the limits, with nothing collected yet. */
  z.object({ type: z.literal("start"), facts: factsSchema }),
  /** The step under way, for a progress line ("Looking up MX for example.com"). */
  z.object({ type: z.literal("step"), text: z.string() }),
  z.object({ type: z.literal("resolver"), resolver: resolverSchema }),
  z.object({ type: z.literal("mtaSts"), mtaSts: mtaStsSchema }),
  z.object({ type: z.literal("mx"), mx: mxSchema }),
  z.object({ type: z.literal("host"), host: hostPatchSchema }),
  z.object({ type: z.literal("address"), host: z.string(), address: addressPatchSchema }),
  z.object({
    type: z.literal("done"),
    status: z.enum(["complete", "stopped"]),
    stopReason: z.optional(z.string()),
    elapsedMs: z.int(),
  }),
  /** The probe could not run at all (bad target, busy); the facts stay as they were. */
  z.object({ type: z.literal("error"), text: z.string() }),
]);
export type DeliveryFrame = z.infer<typeof frameSchema>;

function withHost(
  hosts: readonly HostFacts[],
  name: string,
  change: (host: HostFacts) => HostFacts,
): HostFacts[] {
  const index = hosts.findIndex((host) => host.name === name);
  if (index === -1) return [...hosts, change({ name, addresses: [] })];
  return hosts.map((host, i) => (i === index ? change(host) : host));
}

/**
 * The facts after one frame; pure, never mutates `facts`.
 *
 * A `start` frame replaces everything; `host` / `address` frames merge into the host (and
 * address) of that name, creating it when new, so frames may arrive in any order. `step` and
 * `error` leave the facts as they are (the page shows them beside the facts).
 */
export function applyFrame(facts: DeliveryFacts, frame: DeliveryFrame): DeliveryFacts {
  switch (frame.type) {
    case "start":
      return frame.facts;
    case "step":
    case "error":
      return facts;
    case "resolver":
      return { ...facts, resolver: frame.resolver };
    case "mtaSts":
      return { ...facts, mtaSts: frame.mtaSts };
    case "mx":
      return { ...facts, mx: frame.mx };
    case "host": {
      const { addresses, ...rest } = frame.host;
      return {
        ...facts,
        hosts: withHost(facts.hosts, frame.host.name, (host) => ({
          ...host,
          ...rest,
          addresses: addresses ?? host.addresses,
        })),
      };
    }
    case "address":
      return {
        ...facts,
        hosts: withHost(facts.hosts, frame.host, (host) => {
          const index = host.addresses.findIndex((a) => a.address === frame.address.address);
          const previous = host.addresses[index] ?? { address: frame.address.address, done: false };
          const merged: AddressFacts = { ...previous, ...frame.address };
          const addresses =
            index === -1
              ? [...host.addresses, merged]
              : host.addresses.map((a, i) => (i === index ? merged : a));
          return { ...host, addresses };
        }),
      };
    case "done":
      return {
        ...facts,
        status: frame.status,
        stopReason: frame.stopReason,
        elapsedMs: frame.elapsedMs,
      };
  }
}

/** The facts a whole stream of frames builds; undefined until its `start` frame. */
export function factsFromFrames(frames: Iterable<DeliveryFrame>): DeliveryFacts | undefined {
  let facts: DeliveryFacts | undefined;
  for (const frame of frames) {
    if (frame.type === "start") facts = frame.facts;
    else if (facts) facts = applyFrame(facts, frame);
  }
  return facts;
}
