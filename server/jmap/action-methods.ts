import type { SetError } from "../../src/jmap/protocol";
import { ACTION_PERMISSIONS } from "../../src/jmap/protocol";
import { idGenerator } from "../ids";
import { MethodFailure, REQUEST_TOO_LARGE } from "./errors";
import { isJsonObject } from "./json";
import type { MethodHandler } from "./methods";
import { setResponse } from "./set-response";

// Shared wire reference §11: `x:Action`, the server's actions. Only ReloadSettings is
// implemented: it makes the stored configuration the one delivery runs with, all or nothing.

const RELOAD_SETTINGS = "ReloadSettings";
/** maxObjectsInGet and maxObjectsInSet, as the session says for every object. */
const MAX_OBJECTS = 500;
const nextActionId = idGenerator();

function keyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

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
  if (Object.keys(create).length + Object.keys(update).length + destroy.length > MAX_OBJECTS)
    throw new MethodFailure("requestTooLarge", REQUEST_TOO_LARGE);
  if (Object.keys(create).length > 0 && !context.permissions.has(ACTION_PERMISSIONS.create)) {
    throw new MethodFailure("forbidden", "You are not authorized to create objects of this type");
  }

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
    const id = nextActionId();
    created[clientId] = { id };
    context.createdIds.set(clientId, id);
  }

  const notUpdated = keyed<SetError>();
  for (const id of Object.keys(update)) {
    notUpdated[id] = { type: "forbidden", description: "Actions cannot be updated" };
  }
  const notDestroyed = keyed<SetError>();
  for (const id of destroy) {
    if (typeof id === "string")
      notDestroyed[id] = { type: "forbidden", description: "Actions cannot be destroyed" };
  }

  return setResponse(context.accountId, [
    ["created", created],
    ["notCreated", notCreated],
    ["notUpdated", notUpdated],
    ["notDestroyed", notDestroyed],
  ]);
};

/** Actions are not kept: every id is unknown. */
const get: MethodHandler = (args, context) => {
  const ids = Array.isArray(args.ids) ? args.ids.filter((id) => typeof id === "string") : [];
  if (ids.length > MAX_OBJECTS) throw new MethodFailure("requestTooLarge", REQUEST_TOO_LARGE);
  return { accountId: context.accountId, list: [], notFound: ids };
};

const query: MethodHandler = () => {
  throw new MethodFailure("invalidArguments", "Actions cannot be queried");
};

export const actionMethods: [string, MethodHandler][] = [
  ["x:Action/set", set],
  ["x:Action/get", get],
  ["x:Action/query", query],
];
