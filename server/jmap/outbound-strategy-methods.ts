import { OUTBOUND_STRATEGY_PERMISSIONS, type SetError } from "../../src/jmap/protocol";
import {
  isProperty,
  type OutboundStrategy,
  PROPERTIES,
  parseExpression,
  SINGLETON_ID,
} from "../outbound-strategy";
import { FORBIDDEN, MethodFailure, REQUEST_TOO_LARGE } from "./errors";
import { isJsonObject } from "./json";
import type { MethodHandler } from "./methods";
import { setResponse } from "./set-response";

// Shared wire reference §10: x:MtaOutboundStrategy, a singleton whose `tls` expression picks a
// TLS strategy by name for each delivery. It has no /query; it cannot be created or destroyed.

/** maxObjectsInGet and maxObjectsInSet, as the session says for every object. */
const MAX_OBJECTS = 500;

const SINGLETON_ERROR: SetError = {
  type: "singleton",
  description: "Singletons cannot be created or destroyed.",
};

function keyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

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
  let ids: unknown[] = [SINGLETON_ID];
  if (args.ids !== undefined && args.ids !== null) {
    if (!Array.isArray(args.ids) || !args.ids.every((id) => typeof id === "string"))
      throw new MethodFailure("invalidArguments", "ids must be an array of ids.");
    // maxObjectsInGet holds for every object (reference §1, §12).
    if (args.ids.length > MAX_OBJECTS)
      throw new MethodFailure("requestTooLarge", REQUEST_TOO_LARGE);
    ids = args.ids;
  }
  let properties: Set<string> | null = null;
  if (Array.isArray(args.properties)) {
    const asked = args.properties.filter(
      (p): p is string => typeof p === "string" && isProperty(p),
    );
    if (asked.length > 0) properties = new Set(asked);
  }
  return {
    accountId: context.accountId,
    list: ids
      .filter((id) => id === SINGLETON_ID)
      .map(() => toWire(context.store.outbound, properties)),
    notFound: ids.filter((id) => id !== SINGLETON_ID),
  };
};

const set: MethodHandler = async (args, context) => {
  const create = args.create ?? {};
  const update = args.update ?? {};
  const destroy = args.destroy ?? [];
  if (!isJsonObject(create) || !isJsonObject(update) || !Array.isArray(destroy))
    throw new MethodFailure("invalidArguments", "create, update and destroy are malformed.");
  if (Object.keys(create).length + Object.keys(update).length + destroy.length > MAX_OBJECTS)
    throw new MethodFailure("requestTooLarge", REQUEST_TOO_LARGE);
  if (
    Object.keys(update).length > 0 &&
    !context.permissions.has(OUTBOUND_STRATEGY_PERMISSIONS.update)
  )
    throw new MethodFailure("forbidden", "You are not authorized to update objects of this type");

  const notCreated = keyed<SetError>();
  for (const clientId of Object.keys(create)) notCreated[clientId] = SINGLETON_ERROR;
  const updated = keyed<null>();
  const notUpdated = keyed<SetError>();
  const notDestroyed = keyed<SetError>();
  for (const id of destroy) if (typeof id === "string") notDestroyed[id] = SINGLETON_ERROR;

  for (const [id, patch] of Object.entries(update)) {
    if (id !== SINGLETON_ID) {
      notUpdated[id] = { type: "notFound" };
      continue;
    }
    if (!isJsonObject(patch)) {
      notUpdated[id] = {
        type: "invalidPatch",
        description: "Invalid key for object",
        properties: [""],
      };
      continue;
    }
    // The first bad key decides; a malformed expression stores nothing (reference §10).
    const changes: Partial<OutboundStrategy> = {};
    let error: SetError | null = null;
    for (const [key, value] of Object.entries(patch)) {
      if (key === "@type") continue;
      if (!isProperty(key)) {
        error = { type: "invalidPatch", description: "Invalid property", properties: [key] };
        break;
      }
      const expression = parseExpression(value);
      if (!expression) {
        error = {
          type: "invalidPatch",
          description: "Invalid value for property.",
          properties: [key],
        };
        break;
      }
      changes[key] = expression;
    }
    if (error) {
      notUpdated[id] = error;
      continue;
    }
    await context.store.transaction((draft) => {
      Object.assign(draft.outbound, changes);
    });
    updated[id] = null;
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
