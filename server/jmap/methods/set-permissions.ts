import type { MethodContext } from "../dispatch";
import { FORBIDDEN, MethodFailure } from "../errors";

/** Fails the call with `forbidden` unless the caller holds `permission`. */
export function requirePermission(context: MethodContext, permission: string): void {
  if (!context.permissions.has(permission)) throw new MethodFailure("forbidden", FORBIDDEN);
}

/** The permissions a /set needs for each kind of change. */
export interface SetPermissions {
  create: string;
  update: string;
  destroy: string;
}

/**
 * Fails the whole /set call as Stalwart does (shared wire reference §8, §11): a caller holding
 * none of the three permissions gets the "create, update or destroy" text for every /set, an
 * empty one included; a caller holding at least one gets the text of the first kind of change
 * it asked for and may not make.
 */
export function assertSetPermissions(
  context: MethodContext,
  needs: SetPermissions,
  asked: { create: number; update: number; destroy: number },
): void {
  const { permissions } = context;
  const may = {
    create: permissions.has(needs.create),
    update: permissions.has(needs.update),
    destroy: permissions.has(needs.destroy),
  };
  if (!may.create && !may.update && !may.destroy) {
    throw new MethodFailure(
      "forbidden",
      "You are not authorized to create, update or destroy objects of this type",
    );
  }
  for (const kind of ["create", "update", "destroy"] as const) {
    if (asked[kind] > 0 && !may[kind])
      throw new MethodFailure(
        "forbidden",
        `You are not authorized to ${kind} objects of this type`,
      );
  }
}
