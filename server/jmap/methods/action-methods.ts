import type { SetError } from "../../../src/jmap/protocol";
import { ACTION_PERMISSIONS } from "../../../src/jmap/protocol";
import { unixTimeId } from "../../ids";
import { ACTION_METHOD_PERMISSIONS } from "../../permissions";
import { type MethodHandler, resolveId } from "../dispatch";
import { FORBIDDEN, MethodFailure } from "../errors";
import { isJsonObject } from "../json";
import { checkObjectsInGet, checkObjectsInSet } from "../limits";
import { requestedProperties } from "./requested-properties";
import { assertSetPermissions } from "./set-permissions";
import { keyed, setResponse } from "./set-response";

// Shared wire reference §11: `x:Action`, the server's actions. Only ReloadSettings is
// implemented: it makes the stored configuration the one delivery runs with, all or nothing.
// Actions are not kept: they cannot be read back, queried, updated or destroyed.

const RELOAD_SETTINGS = "ReloadSettings";

const set: MethodHandler = (args, context) => {
  const create = args.create ?? {};
  const update = args.update ?? {};
  const destroy = args.destroy ?? [];
  if (!isJsonObject(create))
    throw new MethodFailure("invalidArguments", "create must be an object.");
  if (!isJsonObject(update))
    throw new MethodFailure("invalidArguments", "update must be an object.");
  if (!Array.isArray(destroy))
    throw new MethodFailure("invalidArguments", "destroy must be an array of ids.");
  const asked = {
    create: Object.keys(create).length,
    update: Object.keys(update).length,
    destroy: destroy.length,
  };
  checkObjectsInSet(asked);
  assertSetPermissions(context, ACTION_METHOD_PERMISSIONS, asked);

  const created = keyed<{ id: string }>();
  const notCreated = keyed<SetError>();
  for (const [clientId, action] of Object.entries(create)) {
    if (!isJsonObject(action) || action["@type"] !== RELOAD_SETTINGS) {
      notCreated[clientId] = {
        type: "invalidPatch",
        description: "Missing or invalid '@type' property in object",
        properties: [""],
      };
      continue;
    }
    if (!context.permissions.has(ACTION_PERMISSIONS.reloadSettings)) {
      notCreated[clientId] = {
        type: "forbidden",
        description: "Insufficient permissions to perform action of type ReloadSettings",
      };
      continue;
    }
    // All or nothing: on any error the running configuration stays as it was.
    const failure = context.reloadFailures?.take() ?? null;
    if (failure) {
      notCreated[clientId] = failure as SetError;
      continue;
    }
    context.store.reload();
    // Nothing is stored: the id is the Unix time in seconds of the reload.
    const id = unixTimeId();
    created[clientId] = { id };
    context.createdIds.set(clientId, id);
  }

  // Ids that cannot be parsed are dropped silently (reference §3, §11).
  const destroyIds = destroy.map((id) => resolveId(context, id)).filter((id) => id !== null);
  const notUpdated = keyed<SetError>();
  for (const rawId of Object.keys(update)) {
    const id = resolveId(context, rawId);
    if (id === null) continue;
    notUpdated[id] = destroyIds.includes(id)
      ? { type: "willDestroy", description: "ID will be destroyed." }
      : { type: "forbidden", description: "Actions cannot be updated" };
  }
  const notDestroyed = keyed<SetError>();
  for (const id of destroyIds)
    notDestroyed[id] = { type: "forbidden", description: "Actions cannot be destroyed" };

  return setResponse(context.accountId, [
    ["created", created],
    ["notCreated", notCreated],
    ["notUpdated", notUpdated],
    ["notDestroyed", notDestroyed],
  ]);
};

/** Actions are not kept: every id is unknown, the unparseable ones first (reference §11). */
const get: MethodHandler = (args, context) => {
  if (!context.permissions.has(ACTION_METHOD_PERMISSIONS.get))
    throw new MethodFailure("forbidden", FORBIDDEN);
  let ids: string[] = [];
  if (args.ids !== undefined && args.ids !== null) {
    if (!Array.isArray(args.ids) || !args.ids.every((id) => typeof id === "string"))
      throw new MethodFailure("invalidArguments", "ids must be an array of ids.");
    checkObjectsInGet(args.ids);
    ids = args.ids;
  }
  // Read like any /get's, though no action is ever listed.
  requestedProperties(args.properties, () => false);
  const unparseable: string[] = [];
  const unknown: string[] = [];
  for (const raw of ids) {
    const id = resolveId(context, raw);
    if (id === null) unparseable.push(raw);
    else unknown.push(id);
  }
  return { accountId: context.accountId, list: [], notFound: [...unparseable, ...unknown] };
};

const query: MethodHandler = () => {
  throw new MethodFailure("invalidArguments", "Actions cannot be queried");
};

export const actionMethods: [string, MethodHandler][] = [
  ["x:Action/set", set],
  ["x:Action/get", get],
  ["x:Action/query", query],
];
