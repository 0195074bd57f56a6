import { createHash, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import type { DaneMatch, TlsaRecord } from "../../../src/stalwart/delivery/facts";

// DANE matching of a presented chain against usable TLSA records, as Stalwart's
// `dane/verify.rs` does it (shared delivery reference §1.7 table E, §4.5). Written by hand:
// no npm package does DANE-EE/DANE-TA (the only "dnssec" packages are @ensdomains oracles),
// and Node's tls has no DANE mode. crypto.X509Certificate gives every primitive needed.

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const MAX_PATH = 8;

const spki = (cert: X509Certificate) =>
  cert.publicKey.export({ type: "spki", format: "der" }) as Buffer;

/** The bytes a record's selector picks (0 = whole certificate, 1 = SubjectPublicKeyInfo). */
const selected = (cert: X509Certificate, selector: number) =>
  selector === 0 ? cert.raw : spki(cert);

/** Matching type 0 = the bytes themselves, 1 = SHA-256, 2 = SHA-512 (RFC 6698 §2.1.3). */
function digest(bytes: Buffer, matchingType: number): string {
  if (matchingType === 0) return bytes.toString("hex");
  return createHash(matchingType === 1 ? "sha256" : "sha512")
    .update(bytes)
    .digest("hex");
}

const matches = (cert: X509Certificate, record: TlsaRecord) =>
  digest(selected(cert, record.selector), record.matchingType) === record.data.toLowerCase();

const describe = (r: TlsaRecord) => `${r.usage} ${r.selector} ${r.matchingType}`;

/** A trust anchor: a certificate, or a bare key (`2 1 0` with no presented match). */
type Anchor = { cert: X509Certificate } | { key: KeyObject };

/** Anchors a usage-2 record yields from the chain (depth >= 1) or from its own data. */
function anchorsOf(record: TlsaRecord, chain: X509Certificate[]): Anchor[] {
  const fromChain = chain.slice(1).filter((cert) => matches(cert, record));
  if (fromChain.length > 0) return fromChain.map((cert) => ({ cert }));
  if (record.matchingType !== 0) return [];
  const data = Buffer.from(record.data, "hex");
  try {
    if (record.selector === 0) return [{ cert: new X509Certificate(data) }];
    return [{ key: createPublicKey({ key: data, format: "der", type: "spki" }) }];
  } catch {
    return [];
  }
}

const isIssuedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

function isValidAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

/**
 * Whether the leaf chains to `anchor` through presented intermediates (each link checked by
 * name and signature), with every certificate below the anchor valid at `now` (webpki).
 */
function chainsTo(chain: X509Certificate[], anchor: Anchor, now: Date): boolean {
  let current = chain[0];
  const used = new Set<X509Certificate>();
  for (let depth = 0; current && depth < MAX_PATH; depth++) {
    if (!isValidAt(current, now)) return false;
    const isAnchored =
      "cert" in anchor ? isIssuedBy(current, anchor.cert) : current.verify(anchor.key);
    if (isAnchored) return true;
    if ("cert" in anchor && current.raw.equals(anchor.cert.raw)) return true;
    used.add(current);
    const from: X509Certificate = current;
    current = chain.slice(1).find((cert) => !used.has(cert) && isIssuedBy(from, cert));
  }
  return false;
}

/**
 * Table E for a completed handshake: the presented `chain` (DER, leaf first) against the
 * host's usable TLSA `records`, with reference names `names` ([MX host, recipient domain] in
 * delivery; [MX host] in the live test).
 *
 * DANE-EE (usage 3): the leaf's selected bytes match; no name or date check. DANE-TA (usage
 * 2): an anchor from the record (`2 0 0` certificate, `2 1 0` key) or a presented certificate
 * at depth >= 1 that matches, the leaf chains to it, the certificates below it are valid at
 * `now`, the leaf has serverAuth or no EKU, and its name matches one of `names`.
 */
export function matchDane(
  chainDer: readonly Buffer[],
  records: readonly TlsaRecord[],
  names: readonly string[],
  now: Date = new Date(),
): DaneMatch {
  if (chainDer.length === 0)
    return { outcome: "no-certificates", reason: "No certificates were provided by host" };
  let chain: X509Certificate[];
  try {
    chain = chainDer.map((der) => new X509Certificate(der));
  } catch {
    return { outcome: "parse-error", reason: "Failed to parse X.509 certificate" };
  }
  const leaf = chain[0] as X509Certificate;
  for (const record of records.filter((r) => r.usage === 3)) {
    if (matches(leaf, record))
      return {
        outcome: "match",
        by: "ee",
        record,
        reason: `DANE-EE record ${describe(record)} matches the leaf.`,
      };
  }
  const eku = leaf.keyUsage;
  const isServerAuth = !eku || eku.length === 0 || eku.includes(SERVER_AUTH);
  const isNamed = names.some((name) => leaf.checkHost(name) !== undefined);
  for (const record of records.filter((r) => r.usage === 2)) {
    const anchors = anchorsOf(record, chain);
    if (!anchors.some((anchor) => chainsTo(chain, anchor, now))) continue;
    if (!isServerAuth || !isNamed) continue;
    return {
      outcome: "match",
      by: "ta",
      record,
      reason: `DANE-TA record ${describe(record)} anchors the chain.`,
    };
  }
  const why = isNamed ? "" : ` (the leaf is not valid for ${names.join(" or ")})`;
  return {
    outcome: "no-match",
    reason: `No matching certificates found in TLSA records${why}`,
  };
}
