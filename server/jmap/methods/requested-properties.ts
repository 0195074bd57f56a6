import { isServerProperty } from "../../objects/property-names";
import { MethodFailure } from "../errors";

/**
 * The properties a /get asked for (shared wire reference §4), or null for all of them: null,
 * absent and `[]` mean all; names that are no property of any server object are dropped first,
 * so `["bogus"]` means all too; a property of some other object is kept, so `["text"]` selects
 * none of this object's (the answer then holds ids alone). `id` is the caller's to add.
 */
export function requestedProperties(
  value: unknown,
  isOwnProperty: (name: string) => boolean,
): ReadonlySet<string> | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((name) => typeof name === "string"))
    throw new MethodFailure("invalidArguments", "properties must be an array of property names.");
  const known = value.filter(isServerProperty);
  if (known.length === 0) return null;
  return new Set(known.filter(isOwnProperty));
}
