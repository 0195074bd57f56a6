import * as z from "zod/mini";
import type { JmapClient } from "../jmap/client";
import { MethodError } from "../jmap/errors";
import type { SetError } from "../jmap/protocol";
import type { MethodCall, MethodResponses } from "../jmap/wire";

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
