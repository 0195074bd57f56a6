import { describeError } from "../../../components/describe-error";
import { RequestError, SetObjectError, TransportError } from "../../../jmap/errors";
import { FIELDS } from "../model/fields";

/** Where a refused save's error is shown: by the name, by the fields it names, or above. */
export type ServerErrorPlacement =
  | { kind: "name-taken"; id: string }
  | { kind: "fields"; fields: { property: keyof typeof FIELDS; message: string }[] }
  | { kind: "problem"; message: string; canRetry: boolean };

const isFormField = (property: string): property is keyof typeof FIELDS =>
  Object.hasOwn(FIELDS, property);

/**
 * Places a save's error (the client's typed errors, src/jmap/errors.ts): a
 * `primaryKeyViolation` with the holder's id is the name taken by that strategy; a SetError
 * naming properties (`properties`, or Stalwart's `validationErrors`, shared wire reference §6)
 * goes by those of this form's fields; anything else is one message above the buttons, with
 * a retry for what may pass next time (a network failure, a 5xx). `permission` is the one a
 * `forbidden` answer means is missing.
 */
export function placeServerError(error: unknown, permission: string): ServerErrorPlacement {
  if (!(error instanceof SetObjectError)) {
    const canRetry =
      error instanceof TransportError || (error instanceof RequestError && error.status >= 500);
    return { kind: "problem", message: describeError(error, { permission }), canRetry };
  }
  const { setError } = error;
  if (setError.type === "primaryKeyViolation" && setError.objectId)
    return { kind: "name-taken", id: setError.objectId.id };
  const fields: { property: string; message: string }[] = [];
  for (const property of setError.properties ?? []) {
    fields.push({
      property,
      message: `The server refused this value: ${setError.description ?? setError.type}`,
    });
  }
  for (const item of setError.validationErrors ?? []) {
    fields.push({
      property: item.property,
      message:
        item.type === "Required"
          ? "The server requires a value here."
          : `The server refused this value (${item.type}).`,
    });
  }
  const known = fields.flatMap(({ property, message }) =>
    isFormField(property) ? [{ property, message }] : [],
  );
  if (known.length === 0)
    return { kind: "problem", message: describeError(error, { permission }), canRetry: false };
  return { kind: "fields", fields: known };
}
