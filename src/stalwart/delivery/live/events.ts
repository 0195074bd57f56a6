import * as z from "zod/mini";

// The events of Stalwart's own live delivery test (`DeliveryStage` of diagnose.rs, shared
// delivery reference §3.2), as the page reads them: one zod schema per event type, tagged by
// the camelCase `type`, nested Policy/Tlsa in snake_case as serde writes them. An event whose
// type is not in §3.2 (a newer Stalwart) is kept as `other`, never a failure.

/** Milliseconds, as `elapsed` is written (`as_millis()`). */
const elapsed = z.number().check(z.nonnegative());
const reason = z.string();

const bare = <T extends string>(type: T) => z.object({ type: z.literal(type) });
const timed = <T extends string>(type: T) => z.object({ type: z.literal(type), elapsed });
const failed = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), reason, elapsed: z.optional(elapsed) });

/** `Policy` of resolver.rs l.47-91 (shared delivery reference §3.2): `startsWith` has no `*.`. */
export const livePolicySchema = z.object({
  id: z.string(),
  mode: z.enum(["enforce", "testing", "none"]),
  mx: z.array(z.union([z.object({ equals: z.string() }), z.object({ startsWith: z.string() })])),
  max_age: z.number(),
});
export type LivePolicy = z.infer<typeof livePolicySchema>;

/** `Tlsa` with its DANE-EE / DANE-TA entries; `data` is the bytes as numbers. */
export const liveTlsaSchema = z.object({
  entries: z.array(
    z.object({
      is_end_entity: z.boolean(),
      is_spki: z.boolean(),
      matching: z.enum(["Full", "Sha256", "Sha512"]),
      data: z.array(z.int().check(z.minimum(0), z.maximum(255))),
    }),
  ),
  has_end_entities: z.boolean(),
  has_intermediates: z.boolean(),
});
export type LiveTlsa = z.infer<typeof liveTlsaSchema>;

const reportUri = z.union([
  z.object({ type: z.literal("mail"), email: z.string() }),
  z.object({ type: z.literal("http"), url: z.string() }),
]);

/** Every event type of the shared delivery reference §3.2, in the order it lists them. */
export const liveEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("mxLookupStart"), domain: z.string() }),
  z.object({
    type: z.literal("mxLookupSuccess"),
    mxs: z.array(z.object({ exchanges: z.array(z.string()), preference: z.int() })),
    elapsed,
  }),
  failed("mxLookupError"),
  bare("mtaStsFetchStart"),
  z.object({ type: z.literal("mtaStsFetchSuccess"), policy: livePolicySchema, elapsed }),
  timed("mtaStsNotFound"),
  failed("mtaStsFetchError"),
  bare("tlsRptLookupStart"),
  z.object({ type: z.literal("tlsRptLookupSuccess"), rua: z.array(reportUri), elapsed }),
  timed("tlsRptNotFound"),
  failed("tlsRptLookupError"),
  z.object({ type: z.literal("deliveryAttemptStart"), hostname: z.string() }),
  bare("mtaStsVerifySuccess"),
  failed("mtaStsVerifyError"),
  bare("tlsaLookupStart"),
  z.object({ type: z.literal("tlsaLookupSuccess"), record: liveTlsaSchema, elapsed }),
  failed("tlsaNotFound"),
  failed("tlsaLookupError"),
  bare("ipLookupStart"),
  z.object({ type: z.literal("ipLookupSuccess"), remoteIps: z.array(z.string()), elapsed }),
  failed("ipLookupError"),
  z.object({ type: z.literal("connectionStart"), remoteIp: z.string() }),
  timed("connectionSuccess"),
  failed("connectionError"),
  bare("readGreetingStart"),
  timed("readGreetingSuccess"),
  failed("readGreetingError"),
  bare("ehloStart"),
  timed("ehloSuccess"),
  failed("ehloError"),
  bare("startTlsStart"),
  timed("startTlsSuccess"),
  failed("startTlsError"),
  bare("daneVerifySuccess"),
  failed("daneVerifyError"),
  bare("mailFromStart"),
  timed("mailFromSuccess"),
  failed("mailFromError"),
  bare("rcptToStart"),
  timed("rcptToSuccess"),
  failed("rcptToError"),
  bare("quitStart"),
  timed("quitCompleted"),
  bare("completed"),
]);

/** An event of a type §3.2 does not list: its type name and the object as sent. */
export interface OtherLiveEvent {
  type: "other";
  name: string;
  raw: unknown;
}

export type KnownLiveEvent = z.infer<typeof liveEventSchema>;
export type LiveEvent = KnownLiveEvent | OtherLiveEvent;

const KNOWN_TYPES: ReadonlySet<string> = new Set(
  liveEventSchema.def.options.map((option) => option.def.shape.type.def.values[0] as string),
);

/**
 * One event object (an item of a frame's `data` array) as a LiveEvent, or why it is not one
 * (a message to show, never a throw). A known type that fails its schema is refused; an
 * object whose `type` is a string §3.2 does not list becomes `{type: "other"}`.
 */
export function parseLiveEvent(json: unknown): LiveEvent | string {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return "An event of Stalwart's test was not an object.";
  const type = (json as { type?: unknown }).type;
  if (typeof type !== "string") return "An event of Stalwart's test had no type.";
  if (!KNOWN_TYPES.has(type)) return { type: "other", name: type.slice(0, 80), raw: json };
  const parsed = liveEventSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  return `An event of Stalwart's test of type “${type}” was not understood${where}: ${issue?.message ?? "invalid"}.`;
}
