import * as z from "zod/mini";

// The facts "test a destination" collects for one recipient domain, shared by the server's
// collectors (which fill them) and the page (which shows them and runs decide.ts over them).
// Every part is optional while collecting: a missing part means "not known yet", never "no".
// The names follow the shared delivery reference §1.1 ("Facts the preview must collect").
// Times are integer milliseconds throughout.

const ms = z.int().check(z.nonnegative());

/** Shared delivery reference §4.3: secure (AD=1), insecure (AD=0), indeterminate, bogus. */
export const dnssecStatusSchema = z.enum(["secure", "insecure", "indeterminate", "bogus"]);
export type DnssecStatus = z.infer<typeof dnssecStatusSchema>;

/** RFC 8914 Extended DNS Error (EDNS option 15): INFO-CODE and its EXTRA-TEXT. */
export const edeSchema = z.object({ code: z.int(), text: z.string() });
export type Ede = z.infer<typeof edeSchema>;

export const targetSchema = z.object({
  /** What the admin typed. */
  input: z.string(),
  /** The recipient domain as an A-label, lower case, no trailing dot. */
  domain: z.string(),
  /** The address, when one was given (its domain is `domain`). */
  address: z.optional(z.string()),
});
export type Target = z.infer<typeof targetSchema>;

/** mail-auth's IpLookupStrategy: "then" means "if the first family fails". */
export const ipLookupStrategySchema = z.enum([
  "ipv4ThenIpv6",
  "ipv6ThenIpv4",
  "ipv4Only",
  "ipv6Only",
]);
export type IpLookupStrategy = z.infer<typeof ipLookupStrategySchema>;

/** Where the facts were collected from, and the limits the probe ran with. */
export const sourceSchema = z.object({
  /** "ip:port" of each resolver asked. */
  resolvers: z.array(z.string()),
  smtpPort: z.int(),
  mtaStsPort: z.int(),
  /**
   * PROBE_PRIVATE_ADDRESSES=1 (a test world): private and loopback addresses were probed, and
   * Stalwart's "host resolves loopback address" drop is not applied (its own test build skips
   * it too, shared delivery reference §1.2 step 6).
   */
  privateAddressesAllowed: z.boolean(),
  /**
   * Who collected the facts: "embedded", this page's server, which is the (embedded) mail
   * server; "proxy", the page's server in front of a real Stalwart (STALWART_URL): its
   * network, resolver and roots, not the mail server's. Absent when unknown.
   */
  collectedBy: z.optional(z.enum(["embedded", "proxy"])),
  /** The route's limits (shared delivery reference §1.1); the fresh-install `mx` route. */
  maxMxHosts: z.int(),
  maxMultihomed: z.int(),
  ipLookupStrategy: ipLookupStrategySchema,
  /** How long the probe itself waits for each step before it gives up. */
  limits: z.object({
    dnsMs: ms,
    connectMs: ms,
    greetingMs: ms,
    ehloMs: ms,
    startTlsMs: ms,
    tlsMs: ms,
    mtaStsMs: ms,
    deadlineMs: ms,
  }),
});
export type Source = z.infer<typeof sourceSchema>;

/** Shared delivery reference §4.3: Stalwart's `ensure_dnssec` check, mirrored. */
export const resolverSchema = z.object({
  /** TCP answers AND `. DNSKEY` with DO came back AD=1; when false Stalwart turns DANE off. */
  validates: z.boolean(),
  answersOverTcp: z.boolean(),
  rootDnskeyAd: z.boolean(),
  detail: z.string(),
});
export type ResolverFacts = z.infer<typeof resolverSchema>;

export const mxPatternSchema = z.object({
  /** `startsWith` is a `*.` pattern, kept without the `*.` (one-label wildcard). */
  type: z.enum(["equals", "startsWith"]),
  value: z.string(),
});
export type MxPattern = z.infer<typeof mxPatternSchema>;

export const policySchema = z.object({
  id: z.string(),
  mode: z.enum(["enforce", "testing", "none"]),
  mx: z.array(mxPatternSchema),
  /** Seconds, as in the policy. */
  maxAge: z.int(),
});
export type Policy = z.infer<typeof policySchema>;

/** A failure as Stalwart words it, before any timeout comparison. */
export const failureSchema = z.object({ temporary: z.boolean(), text: z.string() });
export type Failure = z.infer<typeof failureSchema>;

export const dnsOutcomeSchema = z.enum(["records", "nxdomain", "nodata", "error", "bogus"]);
export type DnsOutcome = z.infer<typeof dnsOutcomeSchema>;

export const mtaStsSchema = z.object({
  txt: z.object({
    outcome: dnsOutcomeSchema,
    /** Each TXT record, its strings joined. */
    records: z.array(z.string()),
    /** The rcode as hickory spells it (`NXDomain`, `NoError`) for "Record not found: …". */
    rcode: z.string(),
    error: z.optional(z.string()),
    elapsedMs: ms,
  }),
  /** The first record that parses as `v=STSv1; id=…` (shared delivery reference §4.2). */
  record: z.nullable(z.object({ id: z.string(), text: z.string() })),
  fetch: z.nullable(
    z.object({
      url: z.string(),
      /** The address our resolver gave for `mta-sts.<domain>`, or null when it gave none. */
      address: z.nullable(z.string()),
      port: z.int(),
      /** Recorded, never checked: Stalwart ignores it (shared delivery reference §0.5). */
      httpStatus: z.nullable(z.int()),
      bytes: ms,
      elapsedMs: ms,
      /** "refused": the address filter refused the policy host's address; nothing was sent. */
      outcome: z.enum([
        "body",
        "timeout",
        "unreachable",
        "failed",
        "too-large",
        "not-utf8",
        "refused",
      ]),
      detail: z.optional(z.string()),
    }),
  ),
  policy: z.nullable(policySchema),
  /** Table A's failure when no policy came out of it, ignoring timeouts (decide.ts compares). */
  failure: z.nullable(failureSchema),
});
export type MtaStsFacts = z.infer<typeof mtaStsSchema>;

export const mxSchema = z.object({
  outcome: dnsOutcomeSchema,
  /** The answer's own status: AD=1 secure, AD=0 insecure; decide.ts applies the resolver's. */
  dnssec: dnssecStatusSchema,
  records: z.array(z.object({ preference: z.int(), exchange: z.string() })),
  error: z.optional(z.string()),
  ede: z.array(edeSchema),
  elapsedMs: ms,
  isNullMx: z.boolean(),
  /** NXDOMAIN / NODATA: the domain itself is the only host (shared delivery reference §1.2). */
  isImplicit: z.boolean(),
  /** Host names in delivery order (equal preferences shuffled), cut at maxMxHosts. */
  hosts: z.array(z.string()),
  /** Hosts past the cut: Stalwart never tries them. */
  cutHosts: z.array(z.string()),
});
export type MxFacts = z.infer<typeof mxSchema>;

export const tlsaRecordSchema = z.object({
  usage: z.int(),
  selector: z.int(),
  matchingType: z.int(),
  /** Hex. */
  data: z.string(),
});
export type TlsaRecord = z.infer<typeof tlsaRecordSchema>;

export const ipsSchema = z.object({
  outcome: z.enum(["addresses", "nxdomain", "nodata", "error", "empty"]),
  /** Addresses in the route's lookup order, cut at maxMultihomed. */
  addresses: z.array(z.string()),
  cut: z.array(z.string()),
  error: z.optional(z.string()),
  elapsedMs: ms,
});
export type IpsFacts = z.infer<typeof ipsSchema>;

export const tlsaSchema = z.object({
  outcome: dnsOutcomeSchema,
  /** AD=1 on the answer (or the denial). */
  secure: z.boolean(),
  records: z.array(tlsaRecordSchema),
  /** Usage 2/3, selector 0/1, matching 0/1/2, from a secure answer (dnssec.rs l.195-226). */
  usable: z.array(tlsaRecordSchema),
  error: z.optional(z.string()),
  ede: z.array(edeSchema),
  elapsedMs: ms,
});
export type TlsaFacts = z.infer<typeof tlsaSchema>;

/** One SMTP step: a reply, or why there was none. `timeoutMs` is the probe's own limit. */
export const replyStepSchema = z.object({
  outcome: z.enum(["reply", "timeout", "unparseable", "closed", "error"]),
  code: z.nullable(z.int()),
  lines: z.array(z.string()),
  elapsedMs: ms,
  timeoutMs: ms,
  error: z.optional(z.string()),
});
export type ReplyStep = z.infer<typeof replyStepSchema>;

export const certificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()),
  /** ISO 8601. */
  notBefore: z.string(),
  notAfter: z.string(),
  sha256: z.string(),
});
export type CertificateFacts = z.infer<typeof certificateSchema>;

export const tlsHandshakeSchema = z.object({
  outcome: z.enum(["ok", "timeout", "failed"]),
  elapsedMs: ms,
  timeoutMs: ms,
  error: z.optional(z.string()),
  protocol: z.optional(z.string()),
  cipher: z.optional(z.string()),
  /** Leaf first, as presented. */
  chain: z.array(certificateSchema),
  /** Chain to the trusted roots AND the name (RFC 6125); `reason` as rustls would word it. */
  pki: z.object({ ok: z.boolean(), reason: z.optional(z.string()) }),
});
export type TlsHandshakeFacts = z.infer<typeof tlsHandshakeSchema>;

/** Shared delivery reference §1.7 (table E), checked against this host's usable TLSA. */
export const daneMatchSchema = z.object({
  outcome: z.enum(["match", "no-match", "no-certificates", "parse-error"]),
  by: z.optional(z.enum(["ee", "ta"])),
  record: z.optional(tlsaRecordSchema),
  reason: z.string(),
});
export type DaneMatch = z.infer<typeof daneMatchSchema>;

export const addressSchema = z.object({
  address: z.string(),
  /** Refused by the address filter and not probed; the text names the range. */
  refused: z.optional(z.string()),
  connect: z.optional(
    z.object({
      ok: z.boolean(),
      elapsedMs: ms,
      timeoutMs: ms,
      timedOut: z.boolean(),
      /** Stalwart's text ("I/O error: Connection refused (os error 111)"). */
      error: z.optional(z.string()),
    }),
  ),
  greeting: z.optional(replyStepSchema),
  ehlo: z.optional(
    z.extend(replyStepSchema, { capabilities: z.array(z.string()), command: z.string() }),
  ),
  /** Present only when STARTTLS was advertised and sent. */
  startTls: z.optional(replyStepSchema),
  tls: z.optional(tlsHandshakeSchema),
  dane: z.optional(daneMatchSchema),
  /** The probe of this address is over (QUIT sent or the connection gone). */
  done: z.boolean(),
});
export type AddressFacts = z.infer<typeof addressSchema>;

export const hostSchema = z.object({
  name: z.string(),
  ips: z.optional(ipsSchema),
  tlsa: z.optional(tlsaSchema),
  addresses: z.array(addressSchema),
});
export type HostFacts = z.infer<typeof hostSchema>;

export const factsSchema = z.object({
  target: targetSchema,
  /** ISO 8601, when collection started. */
  collectedAt: z.string(),
  source: sourceSchema,
  resolver: z.optional(resolverSchema),
  mtaSts: z.optional(mtaStsSchema),
  mx: z.optional(mxSchema),
  hosts: z.array(hostSchema),
  /** "stopped": the deadline passed or the probe was stopped; missing parts stay unknown. */
  status: z.enum(["collecting", "complete", "stopped"]),
  stopReason: z.optional(z.string()),
  elapsedMs: z.optional(ms),
});
export type DeliveryFacts = z.infer<typeof factsSchema>;
