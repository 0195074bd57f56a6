import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { sleep } from "./settings";

// 1. What the browser downloads: the build as served, sized from the files it wrote.

/** Where `npm run build` writes the page. */
const BUILD_DIR = "dist/client";

/**
 * A copy of the build in a private directory, once index.html and every asset it names are
 * there together (a build running elsewhere may be half written: tried again, 5 times, 2 s
 * apart). The bench serves and sizes this copy, so a build run meanwhile by someone else
 * (tests rebuild dist/) cannot swap the files under it.
 */
export async function snapshotOfBuild(): Promise<string> {
  if (!existsSync(join(BUILD_DIR, "index.html"))) throw new Error("Run `npm run build` first.");
  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), "bench-client-"));
    await cp(BUILD_DIR, dir, { recursive: true });
    const html = await readFile(join(dir, "index.html"), "utf8").catch(() => "");
    const named = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    if (html && named.every((asset) => existsSync(join(dir, asset)))) return dir;
    await rm(dir, { recursive: true, force: true });
    if (attempt === 5) throw new Error(`${BUILD_DIR} stays incomplete: is a build running?`);
    await sleep(2_000);
  }
}

export interface Sized {
  /** "assets/index-BGv8UwKz.js", or "inline <style> 1" for what index.html holds itself. */
  file: string;
  /** Uncompressed, bytes. */
  bytes: number;
  /** As served to a browser that accepts brotli: the .br file beside it, bytes. */
  brotli: number;
  /** As served to a browser that accepts gzip only: the .gz file beside it, bytes. */
  gzip: number;
  /** Whether the build wrote the .br and .gz (else the bench compressed it, as the build should). */
  precompressed: boolean;
}

const brotli11 = (content: Buffer) =>
  brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });

export const readIfThere = (path: string) => readFile(path).catch(() => null);

/** The attributes of one HTML start tag: `rel="modulepreload" href="/a.js"` → {rel, href}. */
const attributes = (tag: string) =>
  Object.fromEntries(
    [...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((m) => [
      (m[1] as string).toLowerCase(),
      m[2] ?? "",
    ]),
  );

/**
 * Sizes as served: the initial JS+CSS is what index.html makes the browser fetch before the
 * page can run (scripts, module preloads, style sheets), plus the CSS and JS index.html holds
 * inline (brotli quality 11 and gzip 9 of it, as the HTML's own compression would roughly
 * cost); every other JS and CSS file is a lazy chunk.
 */
export async function bundleSizes(clientDir: string) {
  const html = await readFile(join(clientDir, "index.html"), "utf8");
  const initial = new Set<string>();
  const prefetched = new Set<string>();
  for (const tag of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attrs = attributes(tag[2] as string);
    const url = (tag[1] as string).toLowerCase() === "script" ? attrs.src : attrs.href;
    const match = url ? /^\/(assets\/[^"?#]+\.(?:js|css))$/.exec(url) : null;
    if (!match) continue;
    const rel = (attrs.rel ?? "").toLowerCase();
    if (tag[1]?.toLowerCase() === "script" || /\b(modulepreload|stylesheet|preload)\b/.test(rel))
      initial.add(match[1] as string);
    else if (/\bprefetch\b/.test(rel)) prefetched.add(match[1] as string);
  }
  const files = (await readdir(join(clientDir, "assets"))).filter((f) => /\.(js|css)$/.test(f));
  const sized: Sized[] = await Promise.all(
    files.map(async (file) => {
      const path = join(clientDir, "assets", file);
      const content = await readFile(path);
      const [br, gz] = await Promise.all([readIfThere(`${path}.br`), readIfThere(`${path}.gz`)]);
      return {
        file: `assets/${file}`,
        bytes: content.length,
        brotli: (br ?? brotli11(content)).length,
        gzip: (gz ?? gzipSync(content, { level: 9 })).length,
        precompressed: br !== null && gz !== null,
      };
    }),
  );
  /** Code inline in the HTML, counted as the browser gets it (compressed with the page). */
  const inlineSized = (file: string, text: string): Sized => {
    const content = Buffer.from(text);
    return {
      file,
      bytes: content.length,
      brotli: brotli11(content).length,
      gzip: gzipSync(content, { level: 9 }).length,
      precompressed: false,
    };
  };
  const inlineStyles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)];
  const inlineScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
    (m) => !("src" in attributes(m[1] as string)) && (m[2] as string).trim() !== "",
  );
  const inline: Sized[] = [
    ...inlineStyles.map((m, index) => inlineSized(`inline <style> ${index + 1}`, m[1] as string)),
    ...inlineScripts.map((m, index) => inlineSized(`inline <script> ${index + 1}`, m[2] as string)),
  ];
  const initialFiles = [...sized.filter((f) => initial.has(f.file)), ...inline];
  return {
    initial: initialFiles,
    /** Bytes, brotli: what a current browser downloads before the page runs. */
    initialBrotli: initialFiles.reduce((sum, f) => sum + f.brotli, 0),
    /** Bytes, gzip, for browsers without brotli. */
    initialGzip: initialFiles.reduce((sum, f) => sum + f.gzip, 0),
    lazy: sized
      .filter((f) => !initial.has(f.file))
      .map((f) => ({ ...f, prefetched: prefetched.has(f.file) })),
  };
}
