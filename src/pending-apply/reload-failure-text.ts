import type { ReloadFailure } from "../stalwart/reload-settings";

// A failed settings reload in words (shared wire reference §11). Only the pending-apply notice
// shows it, so it loads with that notice, not with the page.

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
