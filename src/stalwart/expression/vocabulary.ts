// The fixed word lists of Stalwart's expression language, as the `tls` context of
// x:MtaOutboundStrategy sees them (shared expressions reference §3, §4). Maps, not object
// literals, so that a word such as "constructor" can never hit a prototype key.

/** The 20 variables the `tls` expression may read: MTA_QUEUE_HOST_VARIABLE (reference §3.1). */
export const TLS_VARIABLES = [
  "sender",
  "sender_domain",
  "rcpt_domain",
  "rcpt",
  "recipients",
  "mx",
  "priority",
  "remote_ip",
  "local_ip",
  "retry_num",
  "notify_num",
  "expires_in",
  "last_status",
  "last_error",
  "queue_name",
  "queue_age",
  "received_from_ip",
  "received_via_port",
  "source",
  "size",
] as const;

export type TlsVariable = (typeof TLS_VARIABLES)[number];

const TLS_VARIABLE_SET: ReadonlySet<string> = new Set(TLS_VARIABLES);

/** True when `word` is one of the 20 variables allowed in `tls`. */
export function isTlsVariable(word: string): word is TlsVariable {
  return TLS_VARIABLE_SET.has(word);
}

// Every ExpressionVariable the server knows (registry enums_impl.rs, 91 names). A known name
// outside the 20 above gets "Variable … not allowed in this context" instead of "Invalid
// variable or constant" (reference §1.2 step 5).
const OTHER_VARIABLES =
  "asn attributes authenticated_as authority bcc bcc.domain bcc.local bcc.name body body.html " +
  "body.raw body.text body.words cc cc.domain cc.local cc.name country domain email email_lower " +
  "env_from env_from.domain env_from.local env_to from from.domain from.local from.name headers " +
  "helo_domain host ip ip_reverse is_tls is_v4 is_v6 listener local local_port location method " +
  "name name_lower octets path path_query port protocol query raw raw_lower remote_ip.ptr " +
  "remote_port reply_to reply_to.domain reply_to.local reply_to.name reverse_ip scheme sld " +
  "subject subject.thread subject.words to to.domain to.local to.name url value value_lower";

const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  ...TLS_VARIABLES,
  ...OTHER_VARIABLES.split(" "),
]);

/** True when the server knows `word` as a variable of some context. */
export function isKnownVariable(word: string): boolean {
  return KNOWN_VARIABLES.has(word);
}

/** The 19 constants, in ExpressionConstant id order (ordering compares ids, reference §2.3). */
export const CONSTANTS = [
  "relaxed",
  "strict",
  "disable",
  "optional",
  "require",
  "ipv4_only",
  "ipv6_only",
  "ipv6_then_ipv4",
  "ipv4_then_ipv6",
  "hourly",
  "daily",
  "weekly",
  "login",
  "plain",
  "xoauth2",
  "oauthbearer",
  "mixer",
  "stanag4406",
  "nsep",
] as const;

export type ConstantName = (typeof CONSTANTS)[number];

const CONSTANT_IDS: ReadonlyMap<string, number> = new Map(CONSTANTS.map((name, id) => [name, id]));

/** The constant's id, or undefined when `word` is not a constant. */
export function constantId(word: string): number | undefined {
  return CONSTANT_IDS.get(word);
}

/** A function of the language: its argument count and whether it needs server state. */
export type FunctionInfo = { name: string; arity: number; isServerOnly: boolean };

// The 44 built-in (sync) functions, FM l.39-84, and the 9 store/DNS (async) ones, FM l.96-106.
const SYNC_FUNCTIONS: readonly (readonly [string, number])[] = [
  ["count", 1],
  ["sort", 2],
  ["dedup", 1],
  ["winnow", 1],
  ["is_intersect", 2],
  ["is_email", 1],
  ["email_part", 2],
  ["is_empty", 1],
  ["is_number", 1],
  ["is_ip_addr", 1],
  ["is_ipv4_addr", 1],
  ["is_ipv6_addr", 1],
  ["is_ip_in_cidr", 2],
  ["ip_reverse_name", 1],
  ["trim", 1],
  ["trim_end", 1],
  ["trim_start", 1],
  ["len", 1],
  ["to_lowercase", 1],
  ["to_uppercase", 1],
  ["is_uppercase", 1],
  ["is_lowercase", 1],
  ["has_digits", 1],
  ["count_spaces", 1],
  ["count_uppercase", 1],
  ["count_lowercase", 1],
  ["count_chars", 1],
  ["contains", 2],
  ["contains_ignore_case", 2],
  ["eq_ignore_case", 2],
  ["starts_with", 2],
  ["ends_with", 2],
  ["lines", 1],
  ["substring", 3],
  ["strip_prefix", 2],
  ["strip_suffix", 2],
  ["split", 2],
  ["rsplit", 2],
  ["split_once", 2],
  ["rsplit_once", 2],
  ["split_n", 3],
  ["split_words", 1],
  ["hash", 2],
  ["if_then", 3],
];

const ASYNC_FUNCTIONS: readonly (readonly [string, number])[] = [
  ["is_local_domain", 1],
  ["is_local_address", 1],
  ["key_get", 2],
  ["key_exists", 2],
  ["key_set", 3],
  ["counter_incr", 3],
  ["counter_get", 2],
  ["dns_query", 2],
  ["sql_query", 3],
];

const entry =
  (isServerOnly: boolean) =>
  ([name, arity]: readonly [string, number]): [string, FunctionInfo] => [
    name,
    { name, arity, isServerOnly },
  ];

const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map([
  ...SYNC_FUNCTIONS.map(entry(false)),
  ...ASYNC_FUNCTIONS.map(entry(true)),
]);

/** The function named `word`, or undefined. */
export function lookupFunction(word: string): FunctionInfo | undefined {
  return FUNCTIONS.get(word);
}

/** The names `system('…')` accepts (T l.112-121). */
export const SYSTEM_VARIABLES: ReadonlySet<string> = new Set([
  "domain",
  "hostname",
  "node_id",
  "node_hostname",
  "node_role",
]);

/** The `last_error` values of a failed recipient (reference §3.2), without `none`. */
export const LAST_ERROR_KINDS = [
  "dns",
  "unexpected-reply",
  "connection",
  "tls",
  "dane",
  "mta-sts",
  "rate",
  "concurrency",
  "io",
] as const;

export type LastErrorKind = (typeof LAST_ERROR_KINDS)[number];
