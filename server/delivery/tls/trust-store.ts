import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { ProbeConfig } from "../config";

// The roots the probe trusts, for both the policy fetch and the SMTP PKI verdict. Stalwart on
// Linux uses the OS store (rustls-platform-verifier); Node 20 bundles Mozilla's list and has no
// tls.getCACertificates (shared delivery reference §4.6 "Trust store"), so the system bundle is
// read here, then NODE_EXTRA_CA_CERTS (Node adds it to its own default store only, which a
// custom `ca` replaces), then the configured extra PEM.

const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/cert.pem",
];

let systemCache: string[] | null = null;

/** PEM blocks in `text`. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function systemRoots(): string[] {
  if (systemCache) return systemCache;
  for (const path of SYSTEM_BUNDLES) {
    try {
      const blocks = pemBlocks(readFileSync(path, "utf8"));
      if (blocks.length > 0) {
        systemCache = blocks;
        return blocks;
      }
    } catch {
      // Not this distribution's path: try the next.
    }
  }
  systemCache = [...rootCertificates];
  return systemCache;
}

/**
 * The PEM certificates to pass as `ca`: the system bundle (when `useSystemCa`), the file named
 * by NODE_EXTRA_CA_CERTS, and `extraCaPem`. Throws when NODE_EXTRA_CA_CERTS names a file that
 * cannot be read, with a message naming it.
 */
export function trustedRoots(
  config: Pick<ProbeConfig, "useSystemCa" | "extraCaFile" | "extraCaPem">,
): string[] {
  const roots = config.useSystemCa ? [...systemRoots()] : [];
  if (config.extraCaFile) {
    try {
      roots.push(...pemBlocks(readFileSync(config.extraCaFile, "utf8")));
    } catch (error) {
      throw new Error(
        `NODE_EXTRA_CA_CERTS names ${config.extraCaFile}, which cannot be read: ${(error as Error).message}`,
      );
    }
  }
  roots.push(...pemBlocks(config.extraCaPem));
  return roots;
}
