import type { TlsStrategy } from "../../../stalwart/tls-strategy";
import { formatDuration } from "./duration";
import { FIELDS } from "./fields";

// Cross-field checks that say, in plain words, what a combination of settings does to mail,
// with the server's real behaviour (shared wire reference §3). A new rule is one entry in
// RULES, with its unit test. Every setting that lowers protection is at least a warning.

export type SecurityValues = Pick<
  TlsStrategy,
  "startTls" | "dane" | "mtaSts" | "allowInvalidCerts" | "tlsTimeout" | "mtaStsTimeout"
>;

export type SecurityField = keyof SecurityValues;

/** The fields in the order the form shows them; a finding is shown after the last it names. */
export const SECURITY_FIELDS: readonly SecurityField[] = [
  "dane",
  "mtaSts",
  "startTls",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
];

export interface Finding {
  id: string;
  /** An error cannot be saved; a warning can, after the admin confirms. */
  severity: "error" | "warning";
  message: string;
  /** The fields that cause it: the finding is shown beside them and describes them. */
  fields: SecurityField[];
}

interface Rule {
  id: string;
  severity: Finding["severity"];
  /** The fields that cause the finding, for the values that raise it. */
  fields: SecurityField[] | ((values: SecurityValues) => SecurityField[]);
  /** The message when the rule applies, or null. */
  check: (values: SecurityValues) => string | null;
}

const MIN_TIMEOUT_MS = 5_000;
const MAX_TIMEOUT_MS = 3_600_000;
/** Past a day no mail server waits: such a value is a slip of the unit (100000d for 100s). */
export const ABSURD_TIMEOUT_MS = 86_400_000;

/** "DANE", "MTA-STS", or both, for the policies set to Required. */
const required = (values: SecurityValues) =>
  [
    values.dane === "require" ? "DANE" : null,
    values.mtaSts === "require" ? "MTA-STS" : null,
  ].filter((name): name is string => name !== null);

/** The policy fields set to Required. */
const requiredFields = (values: SecurityValues): SecurityField[] =>
  (["dane", "mtaSts"] as const).filter((field) => values[field] === "require");

const list = (names: string[]) => names.join(" and ");
const isAre = (names: string[]) => (names.length > 1 ? "are" : "is");

function unusualTimeout(field: "tlsTimeout" | "mtaStsTimeout", tooShort: string): Rule {
  return {
    id: `${field}-unusual`,
    severity: "warning",
    fields: [field],
    check: (values) => {
      const ms = values[field];
      const label = FIELDS[field].label;
      if (ms < MIN_TIMEOUT_MS) return `${label} is ${formatDuration(ms)}, under 5s: ${tooShort}`;
      if (ms > MAX_TIMEOUT_MS && ms <= ABSURD_TIMEOUT_MS) {
        return `${label} is ${formatDuration(ms)}, over 1h: a server that stalls holds a delivery attempt that long before it is retried; minutes are usual.`;
      }
      return null;
    },
  };
}

/**
 * A timeout over a day is refused for a new value (an error blocks only what a save
 * introduces, so a strategy stored with one through the API stays savable: never stricter
 * than the server for what exists).
 */
function absurdTimeout(field: "tlsTimeout" | "mtaStsTimeout"): Rule {
  return {
    id: `${field}-absurd`,
    severity: "error",
    fields: [field],
    check: (values) => {
      const ms = values[field];
      if (ms <= ABSURD_TIMEOUT_MS) return null;
      return `${FIELDS[field].label} is ${formatDuration(ms)}, over a day: no mail server waits that long, so this is most likely a slip of the unit. Use at most 1d (minutes are usual).`;
    },
  };
}

export const RULES: Rule[] = [
  {
    id: "starttls-disabled-with-requirement",
    severity: "error",
    fields: (values) => ["startTls", ...requiredFields(values)],
    check: (values) => {
      const names = required(values);
      if (values.startTls !== "disable" || names.length === 0) return null;
      return `STARTTLS is Disabled while ${list(names)} ${isAre(names)} Required: ${list(names)} can only be met over TLS, so mail to the domains it applies to can never be delivered. Allow STARTTLS, or stop requiring ${list(names)}.`;
    },
  },
  {
    id: "invalid-certificates",
    severity: "warning",
    fields: ["allowInvalidCerts"],
    check: (values) =>
      values.allowInvalidCerts && values.startTls !== "require" && required(values).length === 0
        ? "Invalid certificates are accepted: a receiving server that shows an expired, self-signed or forged certificate is trusted anyway, so whoever can intercept the connection can read or change the mail. Only domains with an enforcing MTA-STS policy still have their certificates checked."
        : null,
  },
  {
    id: "invalid-certificates-with-starttls-required",
    severity: "warning",
    fields: ["startTls", "allowInvalidCerts"],
    check: (values) =>
      values.allowInvalidCerts && values.startTls === "require" && required(values).length === 0
        ? "STARTTLS is Required but invalid certificates are accepted: mail is always encrypted, yet whoever can intercept the connection can show their own certificate and read or change it. Required STARTTLS then only stops passive eavesdropping. Only domains with an enforcing MTA-STS policy still have their certificates checked."
        : null,
  },
  {
    id: "invalid-certificates-with-requirement",
    severity: "warning",
    fields: (values) => ["allowInvalidCerts", ...requiredFields(values)],
    check: (values) => {
      const names = required(values);
      if (!values.allowInvalidCerts || names.length === 0) return null;
      return `Invalid certificates are allowed while ${list(names)} ${isAre(names)} Required: accepting any certificate contradicts the point of ${list(names)}, which is to verify the receiving server. The requirement is weakened: Stalwart still checks certificates for domains with an enforcing MTA-STS policy, but not for domains whose policy is only in testing mode, nor for any other domain.`;
    },
  },
  {
    id: "starttls-disabled",
    severity: "warning",
    fields: ["startTls"],
    check: (values) =>
      values.startTls === "disable"
        ? "STARTTLS is Disabled: mail leaves in plain text, and anyone on the network path can read or change it, even when the receiving server supports TLS."
        : null,
  },
  {
    id: "dane-disabled",
    severity: "warning",
    fields: ["dane"],
    check: (values) =>
      values.dane === "disable"
        ? "DANE is Disabled: the TLSA records that receiving domains publish to pin their certificates are ignored, so a forged certificate for those domains is no longer caught by DANE."
        : null,
  },
  {
    id: "mta-sts-disabled",
    severity: "warning",
    fields: ["mtaSts"],
    check: (values) =>
      values.mtaSts === "disable"
        ? "MTA-STS is Disabled: the policies by which receiving domains demand TLS with a valid certificate are ignored, so whoever can intercept the connection can strip STARTTLS and have mail to those domains sent in plain text."
        : null,
  },
  {
    id: "dane-required",
    severity: "warning",
    fields: ["dane"],
    check: (values) =>
      values.dane === "require"
        ? "DANE is Required: domains without DNSSEC-signed TLSA records (most of them) will not receive mail sent with this strategy, and a DNSSEC “bogus” answer defers mail too. If the server's DNS resolver cannot validate DNSSEC, Stalwart turns DANE off for every strategy and only says so in its log. Not recommended for a default strategy."
        : null,
  },
  unusualTimeout(
    "tlsTimeout",
    "servers that answer a little slowly will fail the handshake, and their mail will be deferred or bounce.",
  ),
  unusualTimeout(
    "mtaStsTimeout",
    "a policy that is not fetched in time counts as missing, so a domain's demand for TLS can be skipped (with MTA-STS Optional) or its mail deferred (with MTA-STS Required).",
  ),
  absurdTimeout("tlsTimeout"),
  absurdTimeout("mtaStsTimeout"),
];

export function reviewSecurity(values: SecurityValues): Finding[] {
  return RULES.flatMap((rule) => {
    const message = rule.check(values);
    if (message === null) return [];
    const fields = typeof rule.fields === "function" ? rule.fields(values) : rule.fields;
    return [{ id: rule.id, severity: rule.severity, message, fields }];
  });
}

/** The field beside which a finding is shown: the last of its fields in form order. */
export function anchorField(finding: Finding): SecurityField {
  return [...SECURITY_FIELDS].reverse().find((field) => finding.fields.includes(field)) ?? "dane";
}

const sameFinding = (finding: Finding) => `${finding.id}\n${finding.message}`;

export interface SaveReview {
  /** Everything the saved strategy would raise. */
  findings: Finding[];
  /** Errors this save would introduce or change: it must not go through. */
  blocking: Finding[];
  /** Findings to confirm first: introduced or changed by this save, or not seen on screen. */
  toConfirm: Finding[];
}

/**
 * Reviews what a save leaves on the server (`after`: the form's values merged with other
 * admins' changes), against what the server holds now (`before`; null for a create) and
 * what the admin reviewed on screen (`seen`). A finding that was already stored and was on
 * screen neither blocks nor asks again, so an old strategy stays savable (README, "What is
 * saved is what was reviewed" and "Security review").
 */
export function reviewSave(
  after: SecurityValues,
  before: SecurityValues | null,
  seen: SecurityValues,
): SaveReview {
  const findings = reviewSecurity(after);
  const stored = new Set((before ? reviewSecurity(before) : []).map(sameFinding));
  const onScreen = new Set(reviewSecurity(seen).map(sameFinding));
  const isIntroduced = (finding: Finding) => !stored.has(sameFinding(finding));
  const blocking = findings.filter((f) => f.severity === "error" && isIntroduced(f));
  const toConfirm = findings.filter(
    (f) => !blocking.includes(f) && (isIntroduced(f) || !onScreen.has(sameFinding(f))),
  );
  return { findings, blocking, toConfirm };
}
