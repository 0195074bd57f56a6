import { useQuery } from "@tanstack/react-query";
import {
  ACTION_PERMISSIONS,
  LIVE_DELIVERY_TEST_PERMISSION,
  OUTBOUND_STRATEGY_PERMISSIONS,
  TLS_STRATEGY_PERMISSIONS,
} from "../jmap/protocol";
import { accountQuery } from "../stalwart/account";
import { useJmapClient } from "./auth";

export interface Permissions {
  isKnown: boolean;
  canView: boolean;
  canCreate: boolean;
  canUpdate: boolean;
  canDestroy: boolean;
  canReadOutbound: boolean;
  /** Changing the outbound strategy's rules (`tls`) needs `sysMtaOutboundStrategyUpdate`. */
  canUpdateOutbound: boolean;
  /**
   * A settings reload (shared wire reference §11) needs both `sysActionCreate` and
   * `actionReloadSettings`; by default only administrators hold them.
   */
  canReloadSettings: boolean;
  /**
   * Testing a destination (the page's probe and Stalwart's live delivery test) needs
   * `liveDeliveryTest`; by default only administrators hold it.
   */
  canTestDelivery: boolean;
}

/** What the caller may do, from GET /api/account; the server's checks stay the authority. */
export function usePermissions(): Permissions {
  const client = useJmapClient();
  const account = useQuery(accountQuery(client));
  const granted = new Set(account.data?.permissions ?? []);
  const isKnown = account.data !== undefined;
  // Until the answer is in, offer nothing that may fail. If it cannot be had at all, offer
  // everything and let the server decide, as it does anyway.
  const has = (permission: string) => (isKnown ? granted.has(permission) : account.isError);
  return {
    isKnown,
    canView:
      !isKnown ||
      (granted.has(TLS_STRATEGY_PERMISSIONS.get) && granted.has(TLS_STRATEGY_PERMISSIONS.query)),
    canCreate: has(TLS_STRATEGY_PERMISSIONS.create),
    canUpdate: has(TLS_STRATEGY_PERMISSIONS.update),
    canDestroy: has(TLS_STRATEGY_PERMISSIONS.destroy),
    canReadOutbound: has(OUTBOUND_STRATEGY_PERMISSIONS.get),
    canUpdateOutbound: has(OUTBOUND_STRATEGY_PERMISSIONS.update),
    canReloadSettings: has(ACTION_PERMISSIONS.create) && has(ACTION_PERMISSIONS.reloadSettings),
    canTestDelivery: has(LIVE_DELIVERY_TEST_PERMISSION),
  };
}
