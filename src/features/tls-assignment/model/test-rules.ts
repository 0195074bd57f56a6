import type { TlsRules } from "../../../stalwart/outbound-tls-rules";

/**
 * The rules the model's unit tests read: an exception for partner.example, the fresh-install
 * TLS fallback, a rule on one MX host naming a strategy that does not exist, then `default`.
 * Tests only.
 */
export const PARTNER_RULES: TlsRules = {
  rules: [
    { if: "rcpt_domain == 'partner.example'", then: "'relaxed'" },
    { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" },
    { if: "mx == 'mx.secure.example'", then: "'gone'" },
  ],
  else: "'default'",
};
