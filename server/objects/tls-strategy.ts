import {
  type MtaTlsStrategy,
  type SetError,
  TLS_POLICIES,
  TLS_STRATEGY_DEFAULTS,
  type TlsPolicy,
} from "../../src/jmap/protocol";
import { JsonFloat } from "../values";
import { isServerProperty } from "./property-names";

// The MtaTlsStrategy object as Stalwart v0.16 defines it (shared wire reference §3, §5): its
// fields in wire order, defaults, the seed of a fresh server, and the validation of a create
// or an update, key by key. The store keeps such objects; the JMAP methods serve them.

export const OBJECT = "MtaTlsStrategy";

/** The three values of `dane`, `mtaSts` and `startTls` (reference §3). */
export { TLS_POLICIES };

export type Strategy = MtaTlsStrategy;

/** Every field but the id, as a create or an update may set them. */
export type Draft = Omit<Strategy, "id" | "name"> & { name?: string };

export const DEFAULTS: Omit<Strategy, "id" | "name"> = TLS_STRATEGY_DEFAULTS;

/** What a fresh server holds, in creation order (shared wire reference §3). */
export const SEED: Omit<Strategy, "id">[] = [
  {
    ...DEFAULTS,
    name: "invalid-tls",
    description: "Allow invalid TLS certificates",
    allowInvalidCerts: true,
  },
  { ...DEFAULTS, name: "default", description: "Default TLS settings" },
];

/** The order Stalwart sends the keys in, whatever `properties` asked (reference §3). */
export const WIRE_ORDER = [
  "name",
  "allowInvalidCerts",
  "dane",
  "description",
  "mtaSts",
  "startTls",
  "mtaStsTimeout",
  "tlsTimeout",
  "id",
] as const satisfies readonly (keyof Strategy)[];

export type Property = (typeof WIRE_ORDER)[number];

const PROPERTIES = new Set<string>(WIRE_ORDER);

export function isProperty(name: string): name is Property {
  return PROPERTIES.has(name);
}

/** `strategy` as the server sends it: keys in wire order, only `properties` (id always). */
export function toWire(
  strategy: Strategy,
  properties: ReadonlySet<string> | null = null,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const key of WIRE_ORDER) {
    if (properties === null || key === "id" || properties.has(key)) wire[key] = strategy[key];
  }
  return wire;
}

const invalidPatch = (description: string, property: string): SetError => ({
  type: "invalidPatch",
  description,
  properties: [property],
});

/** How Rust's Debug prints the JSON value the server could not read as an enum. */
function rustDebug(value: unknown): string {
  if (typeof value === "string") return `Str(${JSON.stringify(value)})`;
  if (typeof value === "number") return `Number(${value})`;
  if (value instanceof JsonFloat) return `Number(${value.text})`;
  if (typeof value === "boolean") return `Bool(${value})`;
  if (value === null) return "Null";
  return Array.isArray(value) ? "Array" : "Object";
}

/** The variant of the enum Stalwart names in an enum error: the value it holds now. */
const VARIANTS: Record<TlsPolicy, string> = {
  optional: "Optional",
  require: "Require",
  disable: "Disable",
};

/**
 * Applies one key of a create or an update to `draft`; returns the SetError of a bad key
 * (shared wire reference §5: the first bad key of an object decides its error). `@type` is
 * ignored. On update, any key that is not one of the eight fields is "Invalid property".
 */
export function applyKey(
  draft: Draft,
  key: string,
  value: unknown,
  isUpdate: boolean,
): SetError | null {
  switch (key) {
    case "@type":
      return null;
    case "name":
      if (isUpdate) return invalidPatch("Cannot modify read-only property", "name");
      if (typeof value !== "string" || value === "")
        return invalidPatch("Invalid value for property.", "name");
      draft.name = value;
      return null;
    case "description":
      if (value !== null && (typeof value !== "string" || value === "")) {
        return invalidPatch("Invalid value for property.", "description");
      }
      draft.description = value;
      return null;
    case "allowInvalidCerts":
      if (typeof value !== "boolean") {
        return invalidPatch("Invalid value for boolean property (expected true or false)", key);
      }
      draft.allowInvalidCerts = value;
      return null;
    case "dane":
    case "mtaSts":
    case "startTls":
      if (typeof value !== "string" || !(TLS_POLICIES as readonly string[]).includes(value)) {
        return invalidPatch(
          `Invalid value ${rustDebug(value)} for enum type ${VARIANTS[draft[key]]}.`,
          key,
        );
      }
      draft[key] = value as TlsPolicy;
      return null;
    case "mtaStsTimeout":
    case "tlsTimeout":
      // A number written as 300000.0 is refused like 1.5, whatever its value.
      if (value instanceof JsonFloat) return invalidPatch("Invalid duration value", key);
      if (typeof value !== "number") return invalidPatch("Invalid path for Duration", key);
      if (!Number.isSafeInteger(value) || value <= 0)
        return invalidPatch("Invalid duration value", key);
      draft[key] = value;
      return null;
    default:
      // On create, a property of another object (or `id`) is "Invalid property"; a name that
      // is no property at all is "Invalid key for object" (reference §5).
      if (isUpdate || isServerProperty(key)) return invalidPatch("Invalid property", key);
      return invalidPatch("Invalid key for object", "");
  }
}

/** The stored object, with its properties in the order Stalwart sends them. */
export function toStrategy(id: string, name: string, draft: Draft): Strategy {
  return {
    name,
    allowInvalidCerts: draft.allowInvalidCerts,
    dane: draft.dane,
    description: draft.description,
    mtaSts: draft.mtaSts,
    startTls: draft.startTls,
    mtaStsTimeout: draft.mtaStsTimeout,
    tlsTimeout: draft.tlsTimeout,
    id,
  };
}

/** Every rule a stored strategy keeps (reference §3): what no request may ever break. */
export function brokenRules(strategy: Strategy): string[] {
  const broken: string[] = [];
  if (typeof strategy.name !== "string" || strategy.name === "") broken.push("name");
  if (
    strategy.description !== null &&
    (typeof strategy.description !== "string" || strategy.description === "")
  )
    broken.push("description");
  if (typeof strategy.allowInvalidCerts !== "boolean") broken.push("allowInvalidCerts");
  for (const key of ["dane", "mtaSts", "startTls"] as const) {
    if (!(TLS_POLICIES as readonly string[]).includes(strategy[key])) broken.push(key);
  }
  for (const key of ["mtaStsTimeout", "tlsTimeout"] as const) {
    if (!Number.isSafeInteger(strategy[key]) || strategy[key] <= 0) broken.push(key);
  }
  return broken;
}
