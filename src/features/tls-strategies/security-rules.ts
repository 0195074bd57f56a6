import { formatDuration } from "./duration";
import { FIELDS, type TlsStrategy } from "./schema";

// Cross-field checks that say, in plain words, what a combination of settings does to mail.
// A new rule is one entry in RULES.

export type SecurityValues = Pick<
  TlsStrategy,
  "startTls" | "dane" | "mtaSts" | "allowInvalidCerts" | "tlsTimeout" | "mtaStsTimeout"
>;

export interface Finding {
  id: string;
  /** An error cannot be saved; a warning can, after the admin confirms. */
  severity: "error" | "warning";
  message: string;
  fields: (keyof SecurityValues)[];
}

interface Rule {
  id: string;
  severity: Finding["severity"];
  fields: (keyof SecurityValues)[];
  /** The message when the rule applies, or null. */
  check: (values: SecurityValues) => string | null;
}

const MIN_TIMEOUT_MS = 5_000;
const MAX_TIMEOUT_MS = 3_600_000;

const required = (values: SecurityValues) =>
  [
    values.dane === "require" ? "DANE" : null,
    values.mtaSts === "require" ? "MTA-STS" : null,
  ].filter((name): name is string => name !== null);

function unusualTimeout(field: "tlsTimeout" | "mtaStsTimeout", what: string): Rule {
  return {
    id: `${field}-unusual`,
    severity: "warning",
    fields: [field],
    check: (values) => {
      const ms = values[field];
      const label = FIELDS[field].label;
      if (ms < MIN_TIMEOUT_MS) {
        return `${label} is ${formatDuration(ms)}, under 5s: ${what} that answer a little slowly will fail, and their mail will be deferred or bounce.`;
      }
      if (ms > MAX_TIMEOUT_MS) {
        return `${label} is ${formatDuration(ms)}, over 1h: a server that stalls holds a delivery attempt that long before it is retried; minutes are usual.`;
      }
      return null;
    },
  };
}

export const RULES: Rule[] = [
  {
    id: "starttls-disabled-with-requirement",
    severity: "error",
    fields: ["startTls", "dane", "mtaSts"],
    check: (values) => {
      const names = required(values);
      if (values.startTls !== "disable" || names.length === 0) return null;
      return `STARTTLS is Disabled while ${names.join(" and ")} ${names.length > 1 ? "are" : "is"} Required: ${names.join(" and ")} can only be met over TLS, so mail to the domains it applies to can never be delivered. Allow STARTTLS, or stop requiring ${names.join(" and ")}.`;
    },
  },
  {
    id: "invalid-certificates-with-requirement",
    severity: "warning",
    fields: ["allowInvalidCerts", "dane", "mtaSts"],
    check: (values) => {
      const names = required(values);
      if (!values.allowInvalidCerts || names.length === 0) return null;
      return `Invalid certificates are allowed while ${names.join(" and ")} ${names.length > 1 ? "are" : "is"} Required: accepting any certificate contradicts the point of ${names.join(" and ")}, which is to verify the receiving server. The requirement is weakened.`;
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
    id: "dane-required",
    severity: "warning",
    fields: ["dane"],
    check: (values) =>
      values.dane === "require"
        ? "DANE is Required: domains without DNSSEC-signed TLSA records (most of them) will not receive mail sent with this strategy. Not recommended for a default strategy."
        : null,
  },
  unusualTimeout("tlsTimeout", "servers"),
  unusualTimeout("mtaStsTimeout", "MTA-STS policy servers"),
];

export function reviewSecurity(values: SecurityValues): Finding[] {
  return RULES.flatMap((rule) => {
    const message = rule.check(values);
    return message === null
      ? []
      : [{ id: rule.id, severity: rule.severity, message, fields: rule.fields }];
  });
}
