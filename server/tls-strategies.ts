import {
  type MtaTlsStrategy,
  type SetError,
  TLS_POLICIES,
  TLS_STRATEGY_DEFAULTS,
  TLS_STRATEGY_PERMISSIONS,
} from "../src/jmap/protocol";
import { compareIds } from "./ids";
import { FORBIDDEN, MethodFailure } from "./jmap/errors";
import type { MethodContext, MethodHandler } from "./jmap/methods";

// Shared wire reference §3–6: the MtaTlsStrategy object exactly as Stalwart v0.16 serves it.

export const OBJECT = "MtaTlsStrategy";
export const MAX_OBJECTS = 500;
const MAX_QUERY_LIMIT = 5000;

export type Strategy = MtaTlsStrategy;
type Draft = Omit<Strategy, "id" | "name"> & { name?: string };

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

const PROPERTIES = [
  "id",
  "name",
  "description",
  "allowInvalidCerts",
  "dane",
  "mtaSts",
  "startTls",
  "mtaStsTimeout",
  "tlsTimeout",
];

// Properties of Stalwart's other objects: naming one is "Invalid property", not an unknown key.
const OTHER_OBJECT_PROPERTIES = new Set([
  "id",
  "connection",
  "route",
  "schedule",
  "tls",
  "hostname",
  "port",
  "enable",
  "timeout",
  "email",
  "secret",
  "type",
  "address",
  "protocol",
]);

const invalidPatch = (description: string, property: string): SetError => ({
  type: "invalidPatch",
  description,
  properties: [property],
});

/** How Rust's Debug prints the JSON value the server could not read as an enum. */
function rustDebug(value: unknown): string {
  if (typeof value === "string") return `Str(${JSON.stringify(value)})`;
  if (typeof value === "number") return `Number(${value})`;
  if (typeof value === "boolean") return `Bool(${value})`;
  if (value === null) return "Null";
  return Array.isArray(value) ? "Array" : "Object";
}

/** Applies one key of a create or update; returns the SetError of the first bad key. */
function applyKey(draft: Draft, key: string, value: unknown, isUpdate: boolean): SetError | null {
  switch (key) {
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
        return invalidPatch(`Invalid value ${rustDebug(value)} for enum type Optional.`, key);
      }
      draft[key] = value as Strategy["dane"];
      return null;
    case "mtaStsTimeout":
    case "tlsTimeout":
      if (typeof value !== "number") return invalidPatch("Invalid path for Duration", key);
      if (!Number.isSafeInteger(value) || value <= 0)
        return invalidPatch("Invalid duration value", key);
      draft[key] = value;
      return null;
    default:
      if (OTHER_OBJECT_PROPERTIES.has(key)) return invalidPatch("Invalid property", key);
      return invalidPatch("Invalid key for object", "");
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requirePermission(context: MethodContext, permission: string, description = FORBIDDEN) {
  if (!context.permissions.has(permission)) throw new MethodFailure("forbidden", description);
}

function stringArray(value: unknown, argument: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new MethodFailure("invalidArguments", `${argument} must be an array of ids.`);
  }
  return value;
}

function sortedById(strategies: Iterable<Strategy>): Strategy[] {
  return [...strategies].sort((a, b) => compareIds(a.id, b.id));
}

// --- x:MtaTlsStrategy/get (shared wire reference §4) ---------------------------------------

const get: MethodHandler = (args, context) => {
  requirePermission(context, TLS_STRATEGY_PERMISSIONS.get);
  const all = context.store.strategies;
  let found: Strategy[];
  const notFound: string[] = [];
  if (args.ids === undefined || args.ids === null) {
    found = sortedById(all.values()).slice(0, MAX_OBJECTS);
  } else {
    const ids = stringArray(args.ids, "ids");
    if (ids.length > MAX_OBJECTS)
      throw new MethodFailure("requestTooLarge", `At most ${MAX_OBJECTS} ids per call.`);
    found = [];
    for (const id of ids) {
      const strategy = all.get(id);
      if (strategy) found.push(strategy);
      else notFound.push(id);
    }
  }
  let properties: string[] | null = null;
  if (Array.isArray(args.properties) && args.properties.length > 0) {
    properties = [
      "id",
      ...stringArray(args.properties, "properties").filter(
        (p) => p !== "id" && PROPERTIES.includes(p),
      ),
    ];
  }
  const list = found.map((strategy) =>
    properties
      ? Object.fromEntries(properties.map((p) => [p, strategy[p as keyof Strategy]]))
      : { ...strategy },
  );
  return { accountId: context.accountId, list, notFound };
};

// --- x:MtaTlsStrategy/set (shared wire reference §5) ---------------------------------------

const set: MethodHandler = async (args, context) => {
  const create = args.create ?? {};
  const update = args.update ?? {};
  const destroy = args.destroy ?? [];
  if (!isObject(create)) throw new MethodFailure("invalidArguments", "create must be an object.");
  if (!isObject(update)) throw new MethodFailure("invalidArguments", "update must be an object.");
  const destroyIds = stringArray(destroy, "destroy");
  const operations = Object.keys(create).length + Object.keys(update).length + destroyIds.length;
  if (operations > MAX_OBJECTS) {
    throw new MethodFailure("requestTooLarge", `At most ${MAX_OBJECTS} operations per call.`);
  }
  if (Object.keys(create).length > 0) {
    requirePermission(
      context,
      TLS_STRATEGY_PERMISSIONS.create,
      "You are not authorized to create objects of this type",
    );
  }
  if (Object.keys(update).length > 0) {
    requirePermission(
      context,
      TLS_STRATEGY_PERMISSIONS.update,
      "You are not authorized to update objects of this type",
    );
  }
  if (destroyIds.length > 0) {
    requirePermission(
      context,
      TLS_STRATEGY_PERMISSIONS.destroy,
      "You are not authorized to destroy objects of this type",
    );
  }

  const created: Record<string, { id: string }> = {};
  const notCreated: Record<string, SetError> = {};
  const updated: Record<string, null> = {};
  const notUpdated: Record<string, SetError> = {};
  const destroyed: string[] = [];
  const notDestroyed: Record<string, SetError> = {};

  await context.store.transaction(({ strategies }, newId) => {
    const byName = (name: string) => [...strategies.values()].find((s) => s.name === name);
    // "#clientId" stands for an object created earlier in this call (RFC 8620 §5.3).
    const resolve = (id: string) => (id.startsWith("#") ? (created[id.slice(1)]?.id ?? id) : id);

    for (const [clientId, patch] of Object.entries(create)) {
      if (!isObject(patch)) {
        notCreated[clientId] = {
          type: "invalidPatch",
          description: "Invalid key for object",
          properties: [""],
        };
        continue;
      }
      const draft: Draft = { ...DEFAULTS };
      let error: SetError | null = null;
      for (const [key, value] of Object.entries(patch)) {
        error = applyKey(draft, key, value, false);
        if (error) break;
      }
      if (!error && draft.name === undefined) {
        error = {
          type: "validationFailed",
          validationErrors: [{ type: "Required", property: "name" }],
        };
      }
      const existing = draft.name === undefined ? undefined : byName(draft.name);
      if (!error && existing) {
        error = {
          type: "primaryKeyViolation",
          properties: ["name"],
          objectId: { object: OBJECT, id: existing.id },
        };
      }
      if (error) {
        notCreated[clientId] = error;
        continue;
      }
      const id = newId();
      strategies.set(id, toStrategy(id, draft.name as string, draft));
      created[clientId] = { id };
    }

    const willDestroy = new Set(destroyIds.map(resolve));
    for (const [rawId, patch] of Object.entries(update)) {
      const id = resolve(rawId);
      const current = strategies.get(id);
      if (willDestroy.has(id)) {
        notUpdated[rawId] = { type: "willDestroy" };
        continue;
      }
      if (!current) {
        notUpdated[rawId] = { type: "notFound" };
        continue;
      }
      if (!isObject(patch)) {
        notUpdated[rawId] = {
          type: "invalidPatch",
          description: "Invalid key for object",
          properties: [""],
        };
        continue;
      }
      const draft: Draft = { ...current };
      let error: SetError | null = null;
      for (const [key, value] of Object.entries(patch)) {
        error = applyKey(draft, key, value, true);
        if (error) break;
      }
      if (error) {
        notUpdated[rawId] = error;
        continue;
      }
      strategies.set(id, toStrategy(id, current.name, draft));
      updated[rawId] = null;
    }

    for (const rawId of destroyIds) {
      const id = resolve(rawId);
      if (strategies.delete(id)) destroyed.push(rawId);
      else notDestroyed[rawId] = { type: "notFound" };
    }
  });

  // Empty maps are omitted, and there is no oldState/newState (shared wire reference §5).
  const response: Record<string, unknown> = { accountId: context.accountId };
  const add = (key: string, value: object) => {
    if (Object.keys(value).length > 0) response[key] = value;
  };
  add("created", created);
  add("updated", updated);
  add("destroyed", destroyed);
  add("notCreated", notCreated);
  add("notUpdated", notUpdated);
  add("notDestroyed", notDestroyed);
  return response;
};

/** The stored object, with its properties in the order Stalwart sends them. */
function toStrategy(id: string, name: string, draft: Draft): Strategy {
  return {
    id,
    name,
    description: draft.description,
    allowInvalidCerts: draft.allowInvalidCerts,
    dane: draft.dane,
    mtaSts: draft.mtaSts,
    startTls: draft.startTls,
    mtaStsTimeout: draft.mtaStsTimeout,
    tlsTimeout: draft.tlsTimeout,
  };
}

// --- x:MtaTlsStrategy/query (shared wire reference §6) --------------------------------------

type Predicate = (strategy: Strategy) => boolean;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Byte-wise, as the server compares UTF-8 names. UTF-8 byte order is code-point order, and
 * JavaScript's own string order (UTF-16 code units) agrees with it except where a surrogate
 * pair meets a character from U+E000 up; only then is the slower exact path needed.
 */
function compareBytes(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const CONDITIONS: Record<string, (name: string, value: string) => boolean> = {
  name: (name, value) => name === value,
  nameIsGreaterThan: (name, value) => compareBytes(name, value) > 0,
  nameIsGreaterThanOrEqual: (name, value) => compareBytes(name, value) >= 0,
  nameIsLessThan: (name, value) => compareBytes(name, value) < 0,
  nameIsLessThanOrEqual: (name, value) => compareBytes(name, value) <= 0,
};

function compileFilter(filter: unknown): Predicate[] {
  if (filter === undefined || filter === null) return [];
  if (!isObject(filter)) throw new MethodFailure("invalidArguments", "filter must be an object.");
  if ("operator" in filter) {
    if (filter.operator !== "AND")
      throw new MethodFailure("unsupportedFilter", "Only AND is supported in filters");
    if (!Array.isArray(filter.conditions))
      throw new MethodFailure("invalidArguments", "conditions must be an array.");
    return filter.conditions.flatMap(compileFilter);
  }
  return Object.entries(filter).map(([key, value]): Predicate => {
    const condition = CONDITIONS[key];
    if (!condition)
      throw new MethodFailure("unsupportedFilter", `Unsupported filter property: ${key}`);
    if (typeof value !== "string")
      throw new MethodFailure("invalidArguments", `${key} must be a string.`);
    return (strategy) => condition(strategy.name, value);
  });
}

type Order = { property: "id" | "name"; isAscending: boolean };

function sortOrder(sort: unknown): Order {
  // No sort: newest first (shared wire reference §6).
  if (sort === undefined || sort === null || (Array.isArray(sort) && sort.length === 0)) {
    return { property: "id", isAscending: false };
  }
  if (!Array.isArray(sort) || !isObject(sort[0])) {
    throw new MethodFailure("invalidArguments", "sort must be an array.");
  }
  // Only the first comparator counts.
  const [{ property, isAscending = true }] = sort as [
    { property?: unknown; isAscending?: unknown },
  ];
  if (property === "id" || property === "name")
    return { property, isAscending: isAscending !== false };
  throw new MethodFailure("unsupportedSort", `Unsupported sort property: ${String(property)}`);
}

/**
 * Every committed version of the strategies is a new, never-changed Map, so its two sorted
 * orders are computed once per write instead of once per query.
 */
const sortedIndexes = new WeakMap<
  ReadonlyMap<string, Strategy>,
  Record<Order["property"], Strategy[]>
>();

function sortedBy(
  strategies: ReadonlyMap<string, Strategy>,
  property: Order["property"],
): Strategy[] {
  let indexes = sortedIndexes.get(strategies);
  if (!indexes) {
    const byId = sortedById(strategies.values());
    indexes = {
      id: byId,
      name: [...byId].sort((a, b) => compareBytes(a.name, b.name) || compareIds(a.id, b.id)),
    };
    sortedIndexes.set(strategies, indexes);
  }
  return indexes[property];
}

function integer(value: unknown, argument: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new MethodFailure("invalidArguments", `${argument} must be an integer.`);
  }
  return value;
}

const query: MethodHandler = (args, context) => {
  requirePermission(context, TLS_STRATEGY_PERMISSIONS.query);
  const predicates = compileFilter(args.filter);
  const order = sortOrder(args.sort);
  const sorted = sortedBy(context.store.strategies, order.property);
  const matches =
    predicates.length === 0 ? sorted : sorted.filter((s) => predicates.every((p) => p(s)));
  const ids = matches.map((s) => s.id);
  if (!order.isAscending) ids.reverse();

  const requestedLimit = integer(args.limit, "limit", MAX_QUERY_LIMIT);
  if (requestedLimit < 0)
    throw new MethodFailure("invalidArguments", "limit must not be negative.");
  const limit = Math.min(requestedLimit, MAX_QUERY_LIMIT);

  let position: number;
  if (args.anchor !== undefined && args.anchor !== null) {
    const index = ids.indexOf(String(args.anchor));
    if (index < 0) throw new MethodFailure("anchorNotFound");
    position = Math.max(0, index + integer(args.anchorOffset, "anchorOffset", 0));
  } else {
    position = integer(args.position, "position", 0);
    if (position < 0) position = Math.max(0, ids.length + position);
  }

  const response: Record<string, unknown> = {
    accountId: context.accountId,
    queryState: "n",
    canCalculateChanges: false,
    position,
    ids: ids.slice(position, position + limit),
  };
  if (args.calculateTotal === true) response.total = ids.length;
  if (requestedLimit > MAX_QUERY_LIMIT) response.limit = MAX_QUERY_LIMIT;
  return response;
};

export const tlsStrategyMethods: Record<string, MethodHandler> = {
  "x:MtaTlsStrategy/get": get,
  "x:MtaTlsStrategy/set": set,
  "x:MtaTlsStrategy/query": query,
};
