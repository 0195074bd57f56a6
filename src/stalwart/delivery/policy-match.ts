import type { Policy } from "./facts";

/**
 * Whether an MTA-STS policy authorises MX host `host` (lower-case A-label, no trailing dot).
 *
 * Copies Stalwart's `mta_sts/verify.rs` l.14-38 (shared delivery reference §4.4): mode `none`
 * authorises every host; `equals` is exact equality; `startsWith` (a `*.suffix` pattern) drops
 * the host's first label and compares the rest, so it matches exactly ONE label
 * (`a.b.example.com` does not match `*.example.com`, RFC 8461 §4.1 agrees; npm `mailauth`
 * matches any depth, which is why it is not used).
 */
export function isMxAuthorized(policy: Policy, host: string): boolean {
  if (policy.mode === "none") return true;
  const dot = host.indexOf(".");
  const parent = dot === -1 ? null : host.slice(dot + 1);
  return policy.mx.some((pattern) =>
    pattern.type === "equals" ? pattern.value === host : parent === pattern.value,
  );
}
