import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { createApp } from "../app";
import { nodeListener } from "../node-listener";
import { openStore } from "../store";
import { ORIGIN } from "../test-support";
import { inlineHashes } from "./index-html";

const STYLE = ":root{color:red}";
const SCRIPT = "window.early=1";
const FRAME =
  '<!--frame--><header>Stalwart</header><option value="dark">Dark</option><!--list--><h1>TLS Strategies</h1><!--/list--><!--/frame-->';
const APP_JS = `export const app = ${JSON.stringify("y".repeat(3000))};`;

describe("static files", () => {
  async function withStatic() {
    const dir = await mkdtemp(join(tmpdir(), "static-"));
    await writeFile(
      join(dir, "index.html"),
      `<!doctype html><html lang="en"><title>TLS</title><style>${STYLE}</style><script>${SCRIPT}</script><div id=root>${FRAME}</div></html>`,
    );
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "assets"));
    await writeFile(
      join(dir, "assets", "index-abc123.js"),
      `console.log(${JSON.stringify("x".repeat(4000))});`,
    );
    await writeFile(join(dir, "assets", "index-abc123.js.map"), '{"sources":["secret.ts"]}');
    // As the build writes them (scripts/vite/precompress.ts).
    await writeFile(join(dir, "assets", "app-def456.js"), APP_JS);
    await writeFile(join(dir, "assets", "app-def456.js.br"), brotliCompressSync(APP_JS));
    await writeFile(join(dir, "assets", "app-def456.js.gz"), gzipSync(APP_JS));
    const { store } = await openStore({ dataDir: null, adminPassword: "x" });
    const app = createApp({ store, staticDir: dir, publicUrl: ORIGIN });
    // Served as every server serves it (node-listener.ts): @hono/node-server's listener puts its
    // own Response class in place, and the assets' headers, set once the body is made (onFound),
    // reach only that one. In app.test.ts, before it was split, an earlier test did this.
    nodeListener(app);
    return app;
  }

  test("hashed assets are cached for a year and compressed, with the right type", async () => {
    const app = await withStatic();
    const response = await app.request(`${ORIGIN}/assets/index-abc123.js`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("Content-Encoding")).toBe("gzip");
    expect((await app.request(`${ORIGIN}/assets/missing.js`)).status).toBe(404);
  });

  test.each([
    ["/settings/mta/outbound/tls-strategies", "br"],
    ["/settings/mta/outbound/tls-strategies/abc", "gzip"],
    ["/sign-in", ""],
    ["/jmap/session", ""],
    ["/.well-known/jmap", ""],
    ["/assets/app-def456.js", "br"],
  ])(
    "HEAD %s (Accept-Encoding %j) answers with GET's status and headers, length included",
    async (path, encoding) => {
      const app = await withStatic();
      const init: RequestInit = { headers: encoding ? { "Accept-Encoding": encoding } : {} };
      const get = await app.request(`${ORIGIN}${path}`, init);
      const body = await get.arrayBuffer();
      const head = await app.request(`${ORIGIN}${path}`, { ...init, method: "HEAD" });
      expect(head.status).toBe(get.status);
      expect(await head.arrayBuffer()).toHaveProperty("byteLength", 0);
      const without = (headers: Headers) =>
        [...headers].filter(([name]) => !["content-length", "date"].includes(name));
      expect(without(head.headers)).toEqual(without(get.headers));
      expect(head.headers.get("Content-Length")).toBe(String(body.byteLength));
    },
  );

  test("page routes fall back to index.html, never cached; API paths do not", async () => {
    const app = await withStatic();
    for (const path of [
      "/",
      "/settings/mta/outbound/tls-strategies",
      "/settings/mta/outbound/tls-strategies/abc",
    ]) {
      const response = await app.request(`${ORIGIN}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(response.headers.get("Cache-Control")).toBe("no-cache");
      expect(await response.text()).toContain("<div id=root>");
    }
    expect((await app.request(`${ORIGIN}/jmap/nothing`)).status).toBe(404);
    expect((await app.request(`${ORIGIN}/api/nothing`)).status).toBe(404);
  });

  test("other paths are 404: the page for a browser, problem+json for the rest", async () => {
    const app = await withStatic();
    const html = await app.request(`${ORIGIN}/nope`, { headers: { Accept: "text/html" } });
    expect(html.status).toBe(404);
    expect(await html.text()).toContain("<div id=root>");
    const other = await app.request(`${ORIGIN}/nope/deeper`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ status: 404, title: "Not Found" });
    const tooDeep = await app.request(`${ORIGIN}/settings/mta/outbound/tls-strategies/a/b`);
    expect(tooDeep.status).toBe(404);
  });

  test("the remembered theme is on <html> before the first paint; anything else is ignored", async () => {
    const app = await withStatic();
    for (const [cookie, expected] of [
      ["stalwart-tls-theme=dark", '<html lang="en" data-theme="dark">'],
      ["other=1; stalwart-tls-theme=light", '<html lang="en" data-theme="light">'],
      ["stalwart-tls-theme=%22%3E%3Cscript%3E", '<html lang="en"><title>'],
      ["", '<html lang="en"><title>'],
    ] as const) {
      for (const path of ["/", "/index.html", "/settings/mta/outbound/tls-strategies", "/nope"]) {
        const response = await app.request(`${ORIGIN}${path}`, {
          headers: { Accept: "text/html", ...(cookie ? { Cookie: cookie } : {}) },
        });
        expect(await response.text()).toContain(expected);
        // A cache must not hand one admin's theme to another.
        expect(response.headers.get("Vary")).toContain("Cookie");
      }
    }
  });

  test("assets go out as the build compressed them, chosen by Accept-Encoding", async () => {
    const app = await withStatic();
    const url = `${ORIGIN}/assets/app-def456.js`;
    const br = await app.request(url, {
      headers: { "Accept-Encoding": "gzip, deflate, br, zstd" },
    });
    expect(br.headers.get("Content-Encoding")).toBe("br");
    expect(br.headers.get("Vary")).toContain("Accept-Encoding");
    expect(br.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(br.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(APP_JS);
    const gz = await app.request(url, { headers: { "Accept-Encoding": "gzip" } });
    expect(gz.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(APP_JS);
    const plain = await app.request(url);
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(await plain.text()).toBe(APP_JS);
  });

  test("each route's HTML carries the frame drawn before the script runs", async () => {
    const app = await withStatic();
    const html = async (path: string, headers: Record<string, string> = {}) =>
      (
        await app.request(`${ORIGIN}${path}`, { headers: { Accept: "text/html", ...headers } })
      ).text();
    const list = await html("/settings/mta/outbound/tls-strategies");
    expect(list).toContain("<header>Stalwart</header>");
    expect(list).toContain("<h1>TLS Strategies</h1>");
    const edit = await html("/settings/mta/outbound/tls-strategies/abc");
    expect(edit).toContain("<header>Stalwart</header>");
    expect(edit).not.toContain("<h1>TLS Strategies</h1>");
    for (const path of ["/sign-in", "/nope"]) expect(await html(path)).not.toContain("<header>");
    // The chosen theme is selected in the frame's switch too.
    const dark = await html("/settings/mta/outbound/tls-strategies", {
      Cookie: "stalwart-tls-theme=dark",
    });
    expect(dark).toContain('<option value="dark" selected>');
  });

  test("the HTML is sent compressed when the client takes it", async () => {
    const app = await withStatic();
    const response = await app.request(`${ORIGIN}/settings/mta/outbound/tls-strategies`, {
      headers: { "Accept-Encoding": "gzip, br" },
    });
    expect(response.headers.get("Content-Encoding")).toBe("br");
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    const body = brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString();
    expect(body).toContain("<h1>TLS Strategies</h1>");
    // "q=0" refuses an encoding.
    const noBrotli = await app.request(`${ORIGIN}/settings/mta/outbound/tls-strategies`, {
      headers: { "Accept-Encoding": "br;q=0, gzip" },
    });
    expect(noBrotli.headers.get("Content-Encoding")).toBe("gzip");
  });

  test("the inlined stylesheet is allowed by its hash, and no other inline style", async () => {
    const app = await withStatic();
    const response = await app.request(`${ORIGIN}/settings/mta/outbound/tls-strategies`);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const [hash] = inlineHashes(`<style>${STYLE}</style>`, "style");
    expect(hash).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(csp).toMatch(new RegExp(`style-src 'self' ${hash?.replace(/[+/]/g, "\\$&")}(;|$)`));
    expect(csp).not.toContain("unsafe-inline");
  });

  test("the inlined early-requests script is allowed by its hash, and no other inline script", async () => {
    const app = await withStatic();
    const response = await app.request(`${ORIGIN}/settings/mta/outbound/tls-strategies`);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const expected = `'sha256-${createHash("sha256").update(SCRIPT).digest("base64")}'`;
    expect(inlineHashes(`<p><script>${SCRIPT}</script>`, "script")).toEqual([expected]);
    expect(csp).toMatch(new RegExp(`script-src 'self' ${expected.replace(/[+/]/g, "\\$&")}(;|$)`));
    // A module script with a src is not an inline script: it has no hash of its own.
    expect(inlineHashes('<script type="module" src="/a.js"></script>', "script")).toEqual([]);
  });

  test("source maps are not served unless asked for", async () => {
    const app = await withStatic();
    expect((await app.request(`${ORIGIN}/assets/index-abc123.js.map`)).status).toBe(404);
  });

  test("every response carries the security headers", async () => {
    const app = await withStatic();
    const response = await app.request(`${ORIGIN}/settings/mta/outbound/tls-strategies`);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
  });
});
