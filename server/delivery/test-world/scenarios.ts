import type { WorldSpec } from "./world";

// The preset worlds: one domain per story, so a single world serves a whole e2e run. Each
// domain's comment says what Stalwart's delivery does with it under the fresh-install
// strategies (`default`: all optional; `invalid-tls`: the same with allowInvalidCerts).

const policy = (mode: string, mx: string[]) => ({ kind: "policy" as const, mode, mx });

/** Every story of the destination test, one domain each. */
export const STORIES: WorldSpec = {
  domains: [
    // Verified TLS by PKI.
    {
      name: "pki.test",
      mx: [{ preference: 10, host: "mx.pki.test" }],
      hosts: [{ name: "mx.pki.test", smtp: { kind: "starttls" } }],
    },
    // Verified by DANE: signed MX, TLSA 3 1 1, a self-signed certificate PKI would refuse.
    {
      name: "dane.test",
      mx: [{ preference: 10, host: "mx.dane.test" }],
      mxEntry: { ad: true },
      hosts: [
        {
          name: "mx.dane.test",
          smtp: { kind: "starttls" },
          cert: "self-signed",
          tlsa: { forms: ["3 1 1"] },
        },
      ],
    },
    // Plaintext: the host does not advertise STARTTLS.
    {
      name: "plain.test",
      mx: [{ preference: 10, host: "mx.plain.test" }],
      hosts: [{ name: "mx.plain.test", smtp: { kind: "plain" } }],
    },
    // Bad certificate: deferred under `default`, rescued by `invalid-tls`.
    {
      name: "badcert.test",
      mx: [{ preference: 10, host: "mx.badcert.test" }],
      hosts: [{ name: "mx.badcert.test", smtp: { kind: "starttls" }, cert: "untrusted" }],
    },
    // MTA-STS enforce whose patterns do not cover the MX: bounced.
    {
      name: "enforce.test",
      mx: [{ preference: 10, host: "mx.enforce.test" }],
      sts: { txt: ["v=STSv1; id=20260101"], policy: policy("enforce", ["mx.elsewhere.test"]) },
      hosts: [{ name: "mx.enforce.test", smtp: { kind: "starttls" } }],
    },
    // MTA-STS enforce that matches through a one-label wildcard: verified.
    {
      name: "sts.test",
      mx: [{ preference: 10, host: "mx.sts.test" }],
      sts: { txt: ["v=STSv1; id=1"], policy: policy("enforce", ["*.sts.test"]) },
      tlsRpt: ["v=TLSRPTv1; rua=mailto:tls@sts.test"],
      hosts: [{ name: "mx.sts.test", smtp: { kind: "starttls" } }],
    },
    // No MTA-STS record: `mtaSts: require` bounces with "Record not found: NXDomain".
    {
      name: "nosts.test",
      mx: [{ preference: 10, host: "mx.nosts.test" }],
      hosts: [{ name: "mx.nosts.test", smtp: { kind: "starttls" } }],
    },
    // No DNSSEC: `dane: require` bounces with "No TLSA DNSSEC records found".
    {
      name: "nodnssec.test",
      mx: [{ preference: 10, host: "mx.nodnssec.test" }],
      hosts: [
        {
          name: "mx.nodnssec.test",
          smtp: { kind: "starttls" },
          tlsa: { forms: ["3 1 1"], secure: false },
        },
      ],
    },
    // Two MX hosts: the first refuses STARTTLS with 454, the second is fine.
    {
      name: "two-mx.test",
      mx: [
        { preference: 10, host: "mx1.two-mx.test" },
        { preference: 20, host: "mx2.two-mx.test" },
      ],
      hosts: [
        { name: "mx1.two-mx.test", smtp: { kind: "starttls-reply", code: 454 } },
        { name: "mx2.two-mx.test", smtp: { kind: "starttls" } },
      ],
    },
    // Hostile hosts.
    {
      name: "silent.test",
      mx: [{ preference: 10, host: "mx.silent.test" }],
      hosts: [{ name: "mx.silent.test", smtp: { kind: "silent" } }],
    },
    {
      name: "drip.test",
      mx: [{ preference: 10, host: "mx.drip.test" }],
      hosts: [{ name: "mx.drip.test", smtp: { kind: "drip" } }],
    },
    {
      name: "garbage.test",
      mx: [{ preference: 10, host: "mx.garbage.test" }],
      hosts: [{ name: "mx.garbage.test", smtp: { kind: "garbage-after-greeting" } }],
    },
    {
      name: "tls-garbage.test",
      mx: [{ preference: 10, host: "mx.tls-garbage.test" }],
      hosts: [{ name: "mx.tls-garbage.test", smtp: { kind: "tls-garbage" } }],
    },
    {
      name: "greeting554.test",
      mx: [{ preference: 10, host: "mx.greeting554.test" }],
      hosts: [{ name: "mx.greeting554.test", smtp: { kind: "greeting", code: 554 } }],
    },
    {
      name: "refused.test",
      mx: [{ preference: 10, host: "mx.refused.test" }],
      hosts: [{ name: "mx.refused.test", smtp: { kind: "refuse" } }],
    },
    // Null MX: bounced for every strategy.
    { name: "nullmx.test", mx: [{ preference: 0, host: "." }], hosts: [] },
  ],
};

/** The same stories behind a resolver that cannot validate DNSSEC: DANE is off. */
export const NON_VALIDATING: WorldSpec = { ...STORIES, resolverValidates: false };

/** Preset worlds by name, for `startTestWorld(SCENARIOS[name])`. */
export const SCENARIOS = { stories: STORIES, "non-validating": NON_VALIDATING } as const;
