import { ACTION_PERMISSIONS } from "../src/jmap/protocol";

/**
 * The permissions of the x:Action methods (shared wire reference §11). The UI only needs the
 * two of src/jmap/protocol (create, reloadSettings); the server checks these too.
 */
export const ACTION_METHOD_PERMISSIONS = {
  get: "sysActionGet",
  create: ACTION_PERMISSIONS.create,
  update: "sysActionUpdate",
  destroy: "sysActionDestroy",
} as const;
