import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Frame } from "../../src/paths";

// The page's HTML as each request gets it: index.html with the frame its path shows and the
// theme its cookie names, in the encoding its Accept-Encoding takes.

export type Encoding = "br" | "gzip" | null;

/** The best encoding the client takes: brotli, else gzip, else none (no q-value weighing). */
export function acceptedEncoding(header: string | undefined): Encoding {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    // "br;q=0" refuses brotli (RFC 9110 §12.5.3).
    if (parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter))) continue;
    accepted.add(name);
  }
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * index.html per frame, theme and encoding, compressed once and kept: the page is small and
 * its variants few (3 × 3 × 3), so no request compresses it again.
 */
export class PageVariants {
  readonly #html: string;
  readonly #cache = new Map<
    string,
    Promise<{ body: Uint8Array<ArrayBuffer>; encoding: Encoding }>
  >();

  constructor(html: string) {
    this.#html = html;
  }

  get(frame: Frame, theme: "light" | "dark" | "system", encoding: Encoding) {
    const key = `${frame} ${theme} ${encoding}`;
    let variant = this.#cache.get(key);
    if (!variant) {
      variant = this.#encode(this.#render(frame, theme), encoding);
      this.#cache.set(key, variant);
      // A compression that failed is tried again by the next request, not kept.
      variant.catch(() => this.#cache.delete(key));
    }
    return variant;
  }

  #render(frame: Frame, theme: "light" | "dark" | "system"): string {
    let html = this.#html;
    if (frame === "none") html = html.replace(/<!--frame-->[\s\S]*<!--\/frame-->/, "");
    else if (frame === "layout") html = html.replace(/<!--list-->[\s\S]*<!--\/list-->/, "");
    // The theme the admin chose is on <html> before anything is drawn: no flash of the other.
    if (theme !== "system") {
      html = html
        .replace('<html lang="en">', `<html lang="en" data-theme="${theme}">`)
        .replace(`<option value="${theme}">`, `<option value="${theme}" selected>`);
    }
    return html;
  }

  async #encode(html: string, encoding: Encoding) {
    const raw = Buffer.from(html, "utf8");
    if (encoding === "br") {
      const body = await brotli(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      });
      return { body: new Uint8Array(body), encoding };
    }
    if (encoding === "gzip") {
      return { body: new Uint8Array(await gzipped(raw, { level: 9 })), encoding };
    }
    return { body: new Uint8Array(raw), encoding };
  }
}
