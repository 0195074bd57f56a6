import { type SetError, TLS_STRATEGY_PERMISSIONS } from "../../../src/jmap/protocol";
import {
  applyKey,
  DEFAULTS,
  type Draft,
  isProperty,
  OBJECT,
  type Strategy,
  toStrategy,
  toWire,
} from "../../objects/tls-strategy";
import { type MethodHandler, resolveId } from "../dispatch";
import { MethodFailure } from "../errors";
import { isJsonObject } from "../json";
import { checkObjectsInGet, checkObjectsInSet, MAX_OBJECTS_IN_GET } from "../limits";
import { requestedProperties } from "./requested-properties";
import { assertSetPermissions, requirePermission } from "./set-permissions";
import { keyed, setResponse } from "./set-response";
import { queryTlsStrategies, sortedById } from "./tls-strategy-query";

// Shared wire reference §4–6: x:MtaTlsStrategy/get, /set and /query (tls-strategy-query.ts)
// exactly as Stalwart v0.16 answers them. Every map keyed by the client (creation ids, ids,
// filter keys) is a Map or an object without a prototype, so no key of a request can reach one
// (jmap/hostile.test.ts tries).

function stringArray(value: unknown, argument: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new MethodFailure("invalidArguments", `${argument} must be an array of ids.`);
  }
  return value;
}

// --- x:MtaTlsStrategy/get (reference §4) ----------------------------------------------------

const get: MethodHandler = (args, context) => {
  requirePermission(context, TLS_STRATEGY_PERMISSIONS.get);
  const all = context.store.strategies;
  let found: Strategy[];
  const unparseable: string[] = [];
  const unknown: string[] = [];
  if (args.ids === undefined || args.ids === null) {
    found = sortedById(all.values()).slice(0, MAX_OBJECTS_IN_GET);
  } else {
    const ids = stringArray(args.ids, "ids");
    checkObjectsInGet(ids);
    found = [];
    for (const raw of ids) {
      const id = resolveId(context, raw);
      const strategy = id === null ? undefined : all.get(id);
      if (strategy) found.push(strategy);
      else if (id === null) unparseable.push(raw);
      else unknown.push(id);
    }
  }
  // id is always sent (toWire adds it).
  const properties = requestedProperties(args.properties, isProperty);
  return {
    accountId: context.accountId,
    list: found.map((strategy) => toWire(strategy, properties)),
    // Ids that cannot be parsed come first, as written; then the unknown ones.
    notFound: [...unparseable, ...unknown],
  };
};

// --- x:MtaTlsStrategy/set (reference §5) ----------------------------------------------------

const INVALID_KEY: SetError = {
  type: "invalidPatch",
  description: "Invalid key for object",
  properties: [""],
};

const set: MethodHandler = async (args, context) => {
  const create = args.create ?? {};
  const update = args.update ?? {};
  const destroy = args.destroy ?? [];
  if (!isJsonObject(create))
    throw new MethodFailure("invalidArguments", "create must be an object.");
  if (!isJsonObject(update))
    throw new MethodFailure("invalidArguments", "update must be an object.");
  const destroyIds = stringArray(destroy, "destroy");
  const asked = {
    create: Object.keys(create).length,
    update: Object.keys(update).length,
    destroy: destroyIds.length,
  };
  checkObjectsInSet(asked);
  assertSetPermissions(context, TLS_STRATEGY_PERMISSIONS, asked);

  const created = keyed<{ id: string }>();
  const notCreated = keyed<SetError>();
  const updated = keyed<null>();
  const notUpdated = keyed<SetError>();
  const destroyed: string[] = [];
  const notDestroyed = keyed<SetError>();

  const createdNow = new Map<string, string>();
  // "#k1" names a creation of this call too, or of an earlier call (RFC 8620 §5.3).
  const resolve = (raw: string) =>
    raw.startsWith("#") && createdNow.has(raw.slice(1))
      ? (createdNow.get(raw.slice(1)) as string)
      : resolveId(context, raw);
  await context.store.transaction(({ strategies }, newId) => {
    const byName = (name: string) => [...strategies.values()].find((s) => s.name === name);

    for (const [clientId, patch] of Object.entries(create)) {
      if (!isJsonObject(patch)) {
        notCreated[clientId] = INVALID_KEY;
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
      createdNow.set(clientId, id);
    }

    // Ids that cannot be parsed are dropped silently (reference §5).
    const willDestroy = new Set(destroyIds.map(resolve).filter((id) => id !== null));
    // Answers are keyed by the id, a "#k1" creation reference resolved (RFC 8620 §5.3).
    for (const [rawId, patch] of Object.entries(update)) {
      const id = resolve(rawId);
      if (id === null) continue;
      if (willDestroy.has(id)) {
        notUpdated[id] = { type: "willDestroy", description: "ID will be destroyed." };
        continue;
      }
      const current = strategies.get(id);
      if (!current) {
        notUpdated[id] = { type: "notFound" };
        continue;
      }
      if (!isJsonObject(patch)) {
        notUpdated[id] = INVALID_KEY;
        continue;
      }
      const draft: Draft = { ...current };
      let error: SetError | null = null;
      for (const [key, value] of Object.entries(patch)) {
        error = applyKey(draft, key, value, true);
        if (error) break;
      }
      if (error) {
        notUpdated[id] = error;
        continue;
      }
      strategies.set(id, toStrategy(id, current.name, draft));
      updated[id] = null;
    }

    for (const rawId of destroyIds) {
      const id = resolve(rawId);
      if (id === null) continue;
      if (strategies.delete(id)) destroyed.push(id);
      else notDestroyed[id] = { type: "notFound" };
    }
  });
  // Once stored, and only then, later calls may name them "#clientId" (RFC 8620 §5.3).
  for (const [clientId, id] of createdNow) context.createdIds.set(clientId, id);

  return setResponse(context.accountId, [
    ["created", created],
    ["updated", updated],
    ["destroyed", destroyed],
    ["notCreated", notCreated],
    ["notUpdated", notUpdated],
    ["notDestroyed", notDestroyed],
  ]);
};

export const tlsStrategyMethods: [string, MethodHandler][] = [
  ["x:MtaTlsStrategy/get", get],
  ["x:MtaTlsStrategy/set", set],
  ["x:MtaTlsStrategy/query", queryTlsStrategies],
];
