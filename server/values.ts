// What a request's values can be once read: plain data, with one addition. Shared by the
// object definitions, the store and the JMAP layer, which reads the wire into these values.

/**
 * A number written in the JSON text with a fraction or an exponent (`300000.0`, `3e5`):
 * Stalwart refuses it where an integer is due, whatever its value (shared wire reference §5).
 */
export class JsonFloat {
  constructor(
    readonly value: number,
    /** As written, e.g. "300000.0". */
    readonly text: string,
  ) {}
}

/** A value read from a request. Objects have a null prototype. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonFloat
  | JsonValue[]
  | { [key: string]: JsonValue };

/** True for a plain JSON object (not an array, not a JsonFloat). */
export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof JsonFloat)
  );
}
