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

/**
 * Where parseJson keeps an object's keys in the order the JSON text wrote them (a repeated key
 * counts where it was last written), when that is not JavaScript's own order: JavaScript lists
 * integer-like keys first, in numeric order, and a repeated key where it first appeared.
 * Stalwart reads members in text order, which decides which of "01" and "1" wins in an
 * expression's `match` (shared expressions reference §1.1) and which bad member of a patch is
 * reported first.
 */
export const TEXT_ORDER = Symbol("textOrder");

/** The keys of an object, in the order of the JSON text it was read from. */
export function keysInTextOrder(object: object): string[] {
  const order = (object as { [TEXT_ORDER]?: string[] })[TEXT_ORDER];
  return order ?? Object.keys(object);
}
