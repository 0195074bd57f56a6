// JMAP wire types (RFC 8620) plus Stalwart's management extension, shared by the UI's
// client and the embedded server. Types only: nothing here runs.

/** RFC 8620 §3.3: `[name, arguments, methodCallId]`. */
export type Invocation = [name: string, args: Record<string, unknown>, callId: string];

/** RFC 8620 §3.3 */
export interface JmapRequest {
  using: string[];
  methodCalls: Invocation[];
  createdIds?: Record<string, string>;
}

/** RFC 8620 §3.4 */
export interface JmapResponse {
  methodResponses: Invocation[];
  sessionState: string;
  createdIds?: Record<string, string>;
}

/** RFC 8620 §3.7 */
export interface ResultReference {
  resultOf: string;
  name: string;
  path: string;
}

/** RFC 8620 §3.6.1 and RFC 7807: request-level errors travel as problem+json. */
export interface ProblemDetails {
  type: string;
  status: number;
  title?: string;
  detail?: string;
  limit?: string;
}

/** RFC 8620 §3.6.2: `["error", {type, description?}, callId]`. */
export interface MethodErrorArgs {
  type: string;
  description?: string;
}

/** RFC 8620 §5.3 SetError, with Stalwart's extra members (shared wire reference §5). */
export interface SetError {
  type: string;
  description?: string;
  properties?: string[];
  validationErrors?: { type: string; property: string; [key: string]: unknown }[];
  objectId?: { object: string; id: string };
  [key: string]: unknown;
}

/** RFC 8620 §2 */
export interface JmapSession {
  capabilities: Record<string, unknown>;
  accounts: Record<
    string,
    {
      name: string;
      isPersonal: boolean;
      isReadOnly: boolean;
      accountCapabilities: Record<string, unknown>;
    }
  >;
  primaryAccounts: Record<string, string>;
  username: string;
  apiUrl: string;
  downloadUrl?: string;
  uploadUrl?: string;
  eventSourceUrl?: string;
  state: string;
}

export const CORE_CAPABILITY = "urn:ietf:params:jmap:core";
export const STALWART_CAPABILITY = "urn:stalwart:jmap";

/** Shared wire reference §3: the three values of `dane`, `mtaSts` and `startTls`. */
export const TLS_POLICIES = ["optional", "require", "disable"] as const;
export type TlsPolicy = (typeof TLS_POLICIES)[number];

/** Shared wire reference §3: an `MtaTlsStrategy` as the server sends it. */
export interface MtaTlsStrategy {
  id: string;
  name: string;
  description: string | null;
  allowInvalidCerts: boolean;
  dane: TlsPolicy;
  mtaSts: TlsPolicy;
  startTls: TlsPolicy;
  /** milliseconds */
  mtaStsTimeout: number;
  /** milliseconds */
  tlsTimeout: number;
}

/** Shared wire reference §3: what the server applies on create for every key not given. */
export const TLS_STRATEGY_DEFAULTS = {
  description: null,
  allowInvalidCerts: false,
  dane: "optional",
  mtaSts: "optional",
  startTls: "optional",
  mtaStsTimeout: 300_000,
  tlsTimeout: 180_000,
} as const satisfies Omit<MtaTlsStrategy, "id" | "name">;

/** Shared wire reference §8 */
export const TLS_STRATEGY_PERMISSIONS = {
  get: "sysMtaTlsStrategyGet",
  query: "sysMtaTlsStrategyQuery",
  create: "sysMtaTlsStrategyCreate",
  update: "sysMtaTlsStrategyUpdate",
  destroy: "sysMtaTlsStrategyDestroy",
} as const;

/** Shared wire reference §10: the outbound strategy singleton, which names TLS strategies. */
export const OUTBOUND_STRATEGY_PERMISSIONS = {
  get: "sysMtaOutboundStrategyGet",
  update: "sysMtaOutboundStrategyUpdate",
} as const;

/**
 * Shared wire reference §11: a settings reload is an `x:Action/set` create of
 * `{"@type": "ReloadSettings"}`; it needs both permissions.
 */
export const ACTION_PERMISSIONS = {
  /** Method level: without it the whole `x:Action/set` call is `forbidden`. */
  create: "sysActionCreate",
  /** Per action: without it the reload is a `forbidden` SetError. */
  reloadSettings: "actionReloadSettings",
} as const;

/**
 * Stalwart's permission to run a live delivery test (`GET /api/token/delivery`, shared
 * delivery reference §3.1; superusers and tenant admins hold it by default). The page's own
 * "test a destination" probe asks for it too.
 */
export const LIVE_DELIVERY_TEST_PERMISSION = "liveDeliveryTest";

/** `GET /api/account` (shared wire reference §1) */
export interface AccountInfo {
  permissions: string[];
  edition: string;
  locale: string;
}
