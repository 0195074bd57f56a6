import "./reflect-shim";
import { createHash, X509Certificate as NodeX509, webcrypto } from "node:crypto";
import type * as X509 from "@peculiar/x509";
import type { TlsaRecord } from "../../../src/stalwart/delivery/facts";

// A per-run PKI for the loopback world (shared delivery reference §5.2 "test PKI"): a trusted
// root, an untrusted one, and leaves valid / wrong-name / expired / self-signed / from the
// untrusted root, generated in memory through WebCrypto (ECDSA P-256: fast), so CI needs no
// openssl and nothing is written to disk.

// @peculiar/x509 is loaded by import() after the Reflect shim has run: a static import would
// be hoisted above the shim wherever this module is bundled (vite --ssr: the bench, a smoke
// run of the built server), and tsyringe throws at import without Reflect metadata.
let x509: typeof X509;
let loading: Promise<void> | null = null;
function loadX509(): Promise<void> {
  loading ??= import("@peculiar/x509").then((module) => {
    module.cryptoProvider.set(webcrypto as unknown as Crypto);
    x509 = module;
  });
  return loading;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY = 86_400_000;

export interface Issued {
  certPem: string;
  keyPem: string;
  der: Buffer;
}

export type CertKind = "valid" | "wrong-name" | "expired" | "self-signed" | "untrusted";

export interface TestPki {
  /** The trusted root: give it to the probe as extra CA PEM. */
  ca: Issued;
  /** A root nobody trusts. */
  otherCa: Issued;
  /** A leaf of `kind` for `names` (key + cert chain PEM with its issuer appended). */
  leaf(names: string[], kind: CertKind): Promise<Issued & { chainPem: string }>;
}

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function issued(cert: X509.X509Certificate, key: CryptoKey): Promise<Issued> {
  return {
    certPem: cert.toString("pem"),
    keyPem: await pkcs8Pem(key),
    der: Buffer.from(cert.rawData),
  };
}

async function root(
  name: string,
): Promise<Issued & { keys: CryptoKeyPair; cert: X509.X509Certificate }> {
  const pair = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys: pair,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });
  return { ...(await issued(cert, pair.privateKey)), keys: pair, cert };
}

/** A fresh PKI: two roots (ECDSA P-256, valid 30 days) and a leaf factory. */
export async function createTestPki(): Promise<TestPki> {
  await loadX509();
  const ca = await root("Stalwart probe test root");
  const otherCa = await root("Untrusted test root");
  return {
    ca,
    otherCa,
    async leaf(names, kind) {
      const pair = await keys();
      const issuer = kind === "untrusted" ? otherCa : ca;
      const sanNames = kind === "wrong-name" ? ["wrong-name.invalid"] : names;
      const isSelf = kind === "self-signed";
      const notAfter =
        kind === "expired" ? new Date(Date.now() - DAY) : new Date(Date.now() + 30 * DAY);
      const extensions = [
        new x509.SubjectAlternativeNameExtension(
          sanNames.map((value) => ({ type: "dns" as const, value })),
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.BasicConstraintsExtension(false),
      ];
      const subject = `CN=${sanNames[0] ?? "leaf"}`;
      const notBefore = new Date(Date.now() - 2 * DAY);
      const cert = isSelf
        ? await x509.X509CertificateGenerator.createSelfSigned({
            name: subject,
            keys: pair,
            notBefore,
            notAfter,
            signingAlgorithm: ALGORITHM,
            extensions,
          })
        : await x509.X509CertificateGenerator.create({
            subject,
            issuer: issuer.cert.subject,
            publicKey: pair.publicKey,
            signingKey: issuer.keys.privateKey,
            notBefore,
            notAfter,
            signingAlgorithm: ALGORITHM,
            extensions,
          });
      const leaf = await issued(cert, pair.privateKey);
      const chainPem = isSelf ? leaf.certPem : `${leaf.certPem}\n${issuer.certPem}`;
      return { ...leaf, chainPem };
    },
  };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const spkiOf = (der: Buffer) =>
  new NodeX509(der).publicKey.export({ type: "spki", format: "der" }) as Buffer;

/**
 * TLSA record data for the forms the tests use: `3 1 1` SHA-256 of the leaf's SPKI, `3 0 1`
 * of the leaf, `2 0 1` SHA-256 of the CA certificate, `2 1 0` the CA's SPKI in full.
 */
export function tlsaFor(
  form: "3 1 1" | "3 0 1" | "2 0 1" | "2 1 0",
  leafDer: Buffer,
  caDer: Buffer,
): TlsaRecord {
  switch (form) {
    case "3 1 1":
      return { usage: 3, selector: 1, matchingType: 1, data: sha256(spkiOf(leafDer)) };
    case "3 0 1":
      return { usage: 3, selector: 0, matchingType: 1, data: sha256(leafDer) };
    case "2 0 1":
      return { usage: 2, selector: 0, matchingType: 1, data: sha256(caDer) };
    case "2 1 0":
      return { usage: 2, selector: 1, matchingType: 0, data: spkiOf(caDer).toString("hex") };
  }
}
