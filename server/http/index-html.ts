import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// index.html as the build wrote it (scripts/vite/), and what of it the Content-Security-Policy
// must allow: the stylesheet and the early-requests script the build put inline.

/** index.html as built, or a bare page when there is none (a server started without a build). */
export function readIndex(root: string): string {
  try {
    return readFileSync(join(root, "index.html"), "utf8");
  } catch {
    return '<!doctype html><html lang="en"><title>TLS Strategies · Stalwart</title><div id="root"></div></html>';
  }
}

/**
 * The CSP sources that allow the inline `<style>` or `<script>` elements (without attributes)
 * of index.html, each by its SHA-256 (CSP Level 3 hash-source): the stylesheet and the
 * early-requests script the build inlined (scripts/vite/inline-stylesheet.ts,
 * scripts/vite/inline-early-requests.ts). No other inline style or script can run.
 */
export function inlineHashes(html: string, element: "style" | "script"): string[] {
  return [...html.matchAll(new RegExp(`<${element}>([\\s\\S]*?)</${element}>`, "g"))].map(
    (match) =>
      `'sha256-${createHash("sha256")
        .update(match[1] ?? "")
        .digest("base64")}'`,
  );
}
