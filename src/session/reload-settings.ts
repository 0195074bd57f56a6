import * as z from "zod/mini";
import type { JmapClient, MethodCall, MethodResponses } from "../jmap/client";
import { MethodError } from "../jmap/errors";
import type { SetError } from "../jmap/protocol";

// Shared wire reference §11: a settings reload is `x:Action/set` creating
// `{"@type": "ReloadSettings"}`. It is synchronous and all or nothing: it succeeds, or the
// running configuration stays as it was and the first error comes back.

const CALL_ID = "reload";
const CREATION_ID = "reload";

/** The reload as one method call, to send alone or after a /set in the same request. */
export const reloadSettingsCall = (): MethodCall => ({
  id: CALL_ID,
  name: "x:Action/set",
  args: { create: { [CREATION_ID]: { "@type": "ReloadSettings" } } },
});

/** What a reload did. */
export type ReloadOutcome = { isApplied: true } | { isApplied: false; failure: ReloadFailure };

/** Why a reload did not happen: a SetError of the action, or the whole call refused. */
export type ReloadFailure =
  | { kind: "setError"; error: SetError }
  | { kind: "methodError"; type: string; description: string | undefined };

const setErrorSchema = z.looseObject({
  type: z.string(),
  description: z.optional(z.string()),
  properties: z.optional(z.array(z.string())),
  objectId: z.optional(z.looseObject({ object: z.string(), id: z.string() })),
  validationErrors: z.optional(z.array(z.looseObject({ type: z.string(), property: z.string() }))),
});

const actionSetSchema = z.looseObject({
  created: z.nullish(z.record(z.string(), z.looseObject({ id: z.string() }))),
  notCreated: z.nullish(z.record(z.string(), setErrorSchema)),
});

/**
 * The outcome of the reload call in `responses`. A reload that is neither created nor
 * refused is reported as a failure: only an explicit `created` means it ran.
 * @throws TransportError when the answer cannot be read.
 */
export function readReloadOutcome(responses: MethodResponses): ReloadOutcome {
  try {
    const result = responses.get(CALL_ID, actionSetSchema);
    if (result.created?.[CREATION_ID]) return { isApplied: true };
    const error = result.notCreated?.[CREATION_ID] ?? { type: "serverFail" };
    return { isApplied: false, failure: { kind: "setError", error: error as SetError } };
  } catch (error) {
    if (error instanceof MethodError) {
      return {
        isApplied: false,
        failure: { kind: "methodError", type: error.type, description: error.description },
      };
    }
    throw error;
  }
}

/** Sends a settings reload on its own. */
export async function reloadSettings(client: JmapClient): Promise<ReloadOutcome> {
  return readReloadOutcome(await client.call([reloadSettingsCall()]));
}

/** Object kinds as an admin reads them; others are shown under the server's own name. */
const OBJECT_NAMES: Record<string, string> = {
  MtaTlsStrategy: "TLS strategy",
  MtaOutboundStrategy: "outbound strategy",
  MtaRoute: "route",
  MtaConnectionStrategy: "connection strategy",
  MtaDeliverySchedule: "delivery schedule",
  Tracer: "tracer",
};

/** "TLS strategy (MtaTlsStrategy)", or the server's name when it is not known here. */
export function objectKind(object: string): string {
  const name = OBJECT_NAMES[object];
  return name ? `${name} (${object})` : object;
}

/** A validation error's type in words: "Required" → "is required". */
function validationInWords(type: string): string {
  if (type === "Required") return "is required";
  if (type === "Invalid") return "is not valid";
  return `failed the “${type}” check`;
}

/** `text` ending with a full stop, as every line of a failure does. */
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** A reload failure in words, for the admin: a summary, details, and the object at fault. */
export interface ReloadFailureText {
  summary: string;
  details: string[];
  /** The object the server named, to link to when the page can show it. */
  objectId?: { object: string; id: string };
}

/** Turns a failed reload into sentences (shared wire reference §11, every shape). */
export function describeReloadFailure(failure: ReloadFailure): ReloadFailureText {
  if (failure.kind === "methodError") {
    if (failure.type === "forbidden") {
      return {
        summary:
          "Your account may not run server actions, so it cannot reload the settings. An administrator must reload them.",
        details: [`The server said: ${sentence(failure.description ?? "forbidden")}`],
      };
    }
    return {
      summary: `The server refused the reload (${failure.type}).`,
      details: failure.description ? [`The server said: ${sentence(failure.description)}`] : [],
    };
  }
  const { error } = failure;
  const object = error.objectId
    ? `the ${objectKind(error.objectId.object)} with id “${error.objectId.id}”`
    : null;
  const details: string[] = [];
  if (error.description) details.push(`The server said: ${sentence(error.description)}`);
  for (const item of error.validationErrors ?? []) {
    details.push(
      `${item.property ? `“${item.property}”` : "A value"} ${validationInWords(item.type)}.`,
    );
  }
  let summary: string;
  switch (error.type) {
    case "validationFailed":
      summary = object
        ? `Stalwart could not build its settings: ${object} is not valid.`
        : "Stalwart could not build its settings: a setting is not valid.";
      break;
    case "notFound":
      summary = object
        ? `Stalwart could not build its settings: ${object}, which another setting refers to, does not exist.`
        : "Stalwart could not build its settings: a setting refers to something that does not exist.";
      break;
    case "forbidden":
      summary =
        "Your account is not allowed to reload the settings. An administrator must reload them.";
      break;
    case "invalidPatch":
      summary = "The server did not understand the reload request.";
      break;
    default:
      summary = `The server could not reload the settings (${error.type})${object ? `, at ${object}` : ""}.`;
  }
  return { summary, details, objectId: error.objectId };
}
