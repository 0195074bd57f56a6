import { OUTBOUND_STRATEGY_PERMISSIONS, type SetError } from "../../../src/jmap/protocol";
import {
  firstCompileError,
  isProperty,
  type OutboundStrategy,
  PROPERTIES,
  patchExpression,
  SINGLETON_ID,
} from "../../objects/outbound-strategy";
import { keysInTextOrder } from "../../values";
import { type MethodHandler, resolveId } from "../dispatch";
import { FORBIDDEN, MethodFailure } from "../errors";
import { isJsonObject } from "../json";
import { checkObjectsInGet, checkObjectsInSet } from "../limits";
import { requestedProperties } from "./requested-properties";
import { assertSetPermissions } from "./set-permissions";
import { keyed, setResponse } from "./set-response";

// Shared wire reference §10: x:MtaOutboundStrategy, a singleton whose `tls` expression picks a
// TLS strategy by name for each delivery. It has no /query; it cannot be created or destroyed.
// What /set checks is the shared expressions reference §5.

/** Creating, updating and destroying all need the one Update permission (reference §8). */
const SET_PERMISSIONS = {
  create: OUTBOUND_STRATEGY_PERMISSIONS.update,
  update: OUTBOUND_STRATEGY_PERMISSIONS.update,
  destroy: OUTBOUND_STRATEGY_PERMISSIONS.update,
};

const SINGLETON_ERROR: SetError = {
  type: "singleton",
  description: "Singletons cannot be created or destroyed.",
};

/** The singleton as the server sends it: its expressions, then its id. */
function toWire(outbound: OutboundStrategy, properties: ReadonlySet<string> | null) {
  const wire: Record<string, unknown> = {};
  for (const key of PROPERTIES) {
    if (properties === null || properties.has(key)) wire[key] = structuredClone(outbound[key]);
  }
  wire.id = SINGLETON_ID;
  return wire;
}

const get: MethodHandler = (args, context) => {
  if (!context.permissions.has(OUTBOUND_STRATEGY_PERMISSIONS.get))
    throw new MethodFailure("forbidden", FORBIDDEN);
  let ids: string[] = [SINGLETON_ID];
  if (args.ids !== undefined && args.ids !== null) {
    if (!Array.isArray(args.ids) || !args.ids.every((id) => typeof id === "string"))
      throw new MethodFailure("invalidArguments", "ids must be an array of ids.");
    // maxObjectsInGet holds for every object (reference §1, §12).
    checkObjectsInGet(args.ids);
    ids = args.ids;
  }
  const properties = requestedProperties(args.properties, isProperty);
  const list: Record<string, unknown>[] = [];
  const unparseable: string[] = [];
  const unknown: string[] = [];
  for (const raw of ids) {
    const id = resolveId(context, raw);
    if (id === SINGLETON_ID) list.push(toWire(context.store.outbound, properties));
    else if (id === null) unparseable.push(raw);
    else unknown.push(id);
  }
  // As for every object: the unparseable ids first, as written, then the unknown ones (§4).
  return { accountId: context.accountId, list, notFound: [...unparseable, ...unknown] };
};

/** A refused update, thrown out of its transaction so that nothing is written. */
class Refusal extends Error {
  constructor(readonly setError: SetError) {
    super(setError.type);
  }
}

const isSetError = (value: OutboundStrategy | SetError): value is SetError => "type" in value;

/**
 * The singleton after `patch`, or the SetError that refuses it: the first bad key decides a
 * patch error (a key that is not one of the four expressions is "Invalid property"); then all
 * four expressions are compiled, in Stalwart's order, and the first that fails decides.
 */
function patched(stored: OutboundStrategy, patch: unknown): OutboundStrategy | SetError {
  if (!isJsonObject(patch))
    return { type: "invalidPatch", description: "Invalid key for object", properties: [""] };
  const next = { ...stored };
  for (const key of keysInTextOrder(patch)) {
    if (key === "@type") continue;
    if (!isProperty(key))
      return { type: "invalidPatch", description: "Invalid property", properties: [key] };
    const expression = patchExpression(stored[key], patch[key], key);
    if (!expression.ok) return expression.error;
    next[key] = expression.value;
  }
  return firstCompileError(next) ?? next;
}

const set: MethodHandler = async (args, context) => {
  const create = args.create ?? {};
  const update = args.update ?? {};
  const destroy = args.destroy ?? [];
  if (!isJsonObject(create) || !isJsonObject(update) || !Array.isArray(destroy))
    throw new MethodFailure("invalidArguments", "create, update and destroy are malformed.");
  const asked = {
    create: Object.keys(create).length,
    update: Object.keys(update).length,
    destroy: destroy.length,
  };
  checkObjectsInSet(asked);
  assertSetPermissions(context, SET_PERMISSIONS, asked);

  const notCreated = keyed<SetError>();
  for (const clientId of Object.keys(create)) notCreated[clientId] = SINGLETON_ERROR;
  const updated = keyed<null>();
  const notUpdated = keyed<SetError>();
  const notDestroyed = keyed<SetError>();
  // Ids that cannot be parsed are dropped silently (reference §3, §5).
  const destroyIds = destroy.map((id) => resolveId(context, id)).filter((id) => id !== null);
  for (const id of destroyIds) notDestroyed[id] = SINGLETON_ERROR;

  for (const [rawId, patch] of Object.entries(update)) {
    const id = resolveId(context, rawId);
    if (id === null) continue;
    if (destroyIds.includes(id)) {
      notUpdated[id] = { type: "willDestroy", description: "ID will be destroyed." };
      continue;
    }
    if (id !== SINGLETON_ID) {
      notUpdated[id] = { type: "notFound" };
      continue;
    }
    try {
      await context.store.transaction((draft) => {
        const next = patched(draft.outbound, patch);
        // Thrown, so that the transaction writes nothing on any refusal.
        if (isSetError(next)) throw new Refusal(next);
        draft.outbound = next;
      });
      updated[id] = null;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      notUpdated[id] = error.setError;
    }
  }

  return setResponse(context.accountId, [
    ["updated", updated],
    ["notCreated", notCreated],
    ["notUpdated", notUpdated],
    ["notDestroyed", notDestroyed],
  ]);
};

export const outboundStrategyMethods: [string, MethodHandler][] = [
  ["x:MtaOutboundStrategy/get", get],
  ["x:MtaOutboundStrategy/set", set],
];
