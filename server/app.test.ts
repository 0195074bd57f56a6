import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { createApp, inlineHashes, sameOriginRedirect } from "./app";
import { nodeListener, serveApp } from "./node-listener";
import { openStore } from "./store";
import { ADMIN, basic, ORIGIN, testServer, USING } from "./test-support";

const UNAUTHORIZED = {
  type: "about:blank",
  status: 401,
  title: "Unauthorized",
  detail: "You have to authenticate first.",
};

describe("discovery and session", () => {
  test("/.well-known/jmap redirects to /jmap/session with a 307, never cached", async () => {
    const { app } = await testServer();
    const response = await app.request(`${ORIGIN}/.well-known/jmap`);
    expect(response.status).toBe(307);
    expect(response.headers.get("Location")).toBe("/jmap/session");
    expect(response.headers.get("Cache-Control")).toBe("no-cache");
  });

  test("the session names the account, and its apiUrl comes from PUBLIC_URL, not from the Host", async () => {
    const { store } = await openStore({ dataDir: null, adminPassword: "pw" });
    const app = createApp({ store, publicUrl: "https://mail.example.com" });
    // localhost is answered, but the apiUrl stays the configured one.
    const response = await app.request("http://localhost:8080/jmap/session", {
      headers: { Authorization: basic("admin", "pw") },
    });
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    const session = await response.json();
    expect(session.apiUrl).toBe("https://mail.example.com/jmap/");
    // Another host is not answered at all.
    const forged = await app.request("http://evil.example/jmap/session", {
      headers: { Authorization: basic("admin", "pw") },
    });
    expect(forged.status).toBe(400);
    expect(JSON.stringify(await forged.json())).not.toContain("evil.example");
  });

  test("the session with credentials, as Stalwart shapes it", async () => {
    const { app } = await testServer();
    const response = await app.request(`${ORIGIN}/jmap/session`, {
      headers: { Authorization: ADMIN },
    });
    const session = await response.json();
    expect(session).toMatchObject({
      accounts: {
        b: {
          name: "admin",
          isPersonal: true,
          isReadOnly: false,
          accountCapabilities: { "urn:stalwart:jmap": {} },
        },
      },
      primaryAccounts: { "urn:stalwart:jmap": "b" },
      username: "admin",
      apiUrl: `${ORIGIN}/jmap/`,
    });
    expect(session.capabilities["urn:ietf:params:jmap:core"]).toMatchObject({
      maxSizeRequest: 10000000,
      maxCallsInRequest: 16,
      maxObjectsInGet: 500,
      maxObjectsInSet: 500,
      maxConcurrentRequests: 4,
    });
    expect(session.capabilities).not.toHaveProperty("urn:stalwart:jmap");
    expect(session.primaryAccounts).not.toHaveProperty("urn:ietf:params:jmap:core");
  });

  test("without credentials the session has capabilities only", async () => {
    const { app } = await testServer();
    const session = await (await app.request(`${ORIGIN}/jmap/session`)).json();
    expect(session).toMatchObject({ accounts: {}, primaryAccounts: {}, username: "" });
    expect(session.capabilities).toHaveProperty("urn:ietf:params:jmap:core");
  });
});

describe("authentication", () => {
  test.each([
    ["no credentials", undefined],
    ["a wrong password", basic("admin", "wrong")],
    ["an unknown user", basic("mallory", "x")],
    ["an unknown API key", "Bearer not-a-key"],
    ["a malformed header", "Basic !!!"],
  ])("%s gets Stalwart's exact 401", async (_label, authorization) => {
    const { app } = await testServer();
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (authorization) headers.Authorization = authorization;
    const response = await app.request(`${ORIGIN}/jmap/`, { method: "POST", headers, body: "{}" });
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(response.headers.get("WWW-Authenticate")).toBe(
      'Bearer realm="Stalwart Server", resource_metadata="/.well-known/oauth-protected-resource", Basic realm="Stalwart Server"',
    );
    expect(await response.json()).toEqual(UNAUTHORIZED);
  });

  test("wrong credentials on /jmap/session are a 401 too", async () => {
    const { app } = await testServer();
    const response = await app.request(`${ORIGIN}/jmap/session`, {
      headers: { Authorization: basic("admin", "x") },
    });
    expect(response.status).toBe(401);
  });

  test("the two challenges travel as two WWW-Authenticate lines over HTTP", async () => {
    const { app } = await testServer();
    const server = createServer(nodeListener(app)).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const raw = await new Promise<string[]>((resolve, reject) => {
        import("node:http").then(({ request }) => {
          const req = request(
            { host: "127.0.0.1", port, path: "/jmap/", method: "POST" },
            (res) => {
              const lines: string[] = [];
              for (let i = 0; i < res.rawHeaders.length; i += 2) {
                if (res.rawHeaders[i]?.toLowerCase() === "www-authenticate")
                  lines.push(res.rawHeaders[i + 1] ?? "");
              }
              res.resume();
              resolve(lines);
            },
          );
          req.on("error", reject);
          req.end("{}");
        }, reject);
      });
      expect(raw).toEqual([
        'Bearer realm="Stalwart Server", resource_metadata="/.well-known/oauth-protected-resource"',
        'Basic realm="Stalwart Server"',
      ]);
    } finally {
      server.close();
    }
  });

  test("Expect: 100-continue gets its refusal at once when the announced body is over the limit", async () => {
    const { app } = await testServer();
    const server = serveApp(createServer(), app).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    // Sends the headers only, and reports whether 100 Continue or the final answer came first.
    const ask = (length: number) =>
      new Promise<{ first: string; status?: number; body?: string }>((resolve, reject) => {
        import("node:http").then(({ request }) => {
          const req = request({
            host: "127.0.0.1",
            port,
            path: "/jmap/",
            method: "POST",
            headers: {
              Authorization: ADMIN,
              "Content-Type": "application/json",
              "Content-Length": String(length),
              Expect: "100-continue",
            },
          });
          req.on("continue", () => {
            resolve({ first: "continue" });
            req.destroy();
          });
          req.on("response", (res) => {
            let body = "";
            res.on("data", (chunk) => {
              body += chunk;
            });
            res.on("end", () => resolve({ first: "response", status: res.statusCode, body }));
          });
          req.on("error", (error) => {
            if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
          });
          req.flushHeaders();
        }, reject);
      });
    try {
      const over = await ask(10_000_001);
      expect(over.first).toBe("response");
      expect(over.status).toBe(400);
      expect(JSON.parse(over.body ?? "{}")).toMatchObject({
        type: "urn:ietf:params:jmap:error:limit",
        limit: "maxSizeRequest",
      });
      expect((await ask(100)).first).toBe("continue");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test("an API key declared for a user signs in with Bearer and carries that user's permissions", async () => {
    const server = await testServer([
      { name: "robot", apiKeys: ["robot-key-123456"], permissions: ["sysMtaTlsStrategyQuery"] },
    ]);
    const query = await server.one(
      "x:MtaTlsStrategy/query",
      { position: 0 },
      "Bearer robot-key-123456",
    );
    expect(query.args.ids).toHaveLength(2);
    const get = await server.one("x:MtaTlsStrategy/get", { ids: null }, "Bearer robot-key-123456");
    expect(get.args).toEqual({
      type: "forbidden",
      description: "You are not authorized to perform this action",
    });
  });

  test("GET /api/account lists the caller's permissions", async () => {
    const { app } = await testServer([
      {
        name: "auditor",
        password: "pw-auditor",
        permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
      },
    ]);
    const auditor = await app.request(`${ORIGIN}/api/account`, {
      headers: { Authorization: basic("auditor", "pw-auditor") },
    });
    expect(await auditor.json()).toEqual({
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
      edition: "oss",
      locale: "en",
    });
    const admin = await (
      await app.request(`${ORIGIN}/api/account`, { headers: { Authorization: ADMIN } })
    ).json();
    expect(admin.permissions).toEqual(
      expect.arrayContaining(["sysMtaTlsStrategyCreate", "sysMtaTlsStrategyDestroy"]),
    );
    expect((await app.request(`${ORIGIN}/api/account`)).status).toBe(401);
  });
});

describe("request-level errors", () => {
  const problemOf = async (response: Response) => ({
    status: response.status,
    ...(await response.json()),
  });

  test("a Content-Type that is not JSON is notJSON", async () => {
    const { post } = await testServer();
    const problem = await problemOf(
      await post({ using: USING, methodCalls: [] }, ADMIN, { "Content-Type": "text/plain" }),
    );
    expect(problem).toMatchObject({ status: 400, type: "urn:ietf:params:jmap:error:notJSON" });
  });

  test.each([
    ["bad JSON", "{nope"],
    ["no using", { methodCalls: [] }],
    ["no methodCalls", { using: USING }],
    ["an unknown capability", { using: [...USING, "urn:example:nope"], methodCalls: [] }],
    ["a malformed call", { using: USING, methodCalls: [["x:MtaTlsStrategy/get", {}]] }],
  ])("%s is notRequest", async (_label, body) => {
    const { post } = await testServer();
    const response = await post(body);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await problemOf(response)).toMatchObject({
      status: 400,
      type: "urn:ietf:params:jmap:error:notRequest",
    });
  });

  test("more than 16 calls is the maxCallsInRequest limit", async () => {
    const { post } = await testServer();
    const methodCalls = Array.from({ length: 17 }, (_, i) => [
      "x:MtaTlsStrategy/get",
      { ids: [] },
      `c${i}`,
    ]);
    expect(await problemOf(await post({ using: USING, methodCalls }))).toMatchObject({
      status: 400,
      type: "urn:ietf:params:jmap:error:limit",
      limit: "maxCallsInRequest",
    });
  });

  test("a body over 10 MB is the maxSizeRequest limit", async () => {
    const { post } = await testServer();
    const body = JSON.stringify({ using: USING, methodCalls: [], padding: "x".repeat(10_000_001) });
    expect(await problemOf(await post(body))).toMatchObject({
      status: 400,
      type: "urn:ietf:params:jmap:error:limit",
      limit: "maxSizeRequest",
    });
  });

  test("unknown paths are 404", async () => {
    const { app } = await testServer();
    expect(
      (await app.request(`${ORIGIN}/nope`, { headers: { Authorization: ADMIN } })).status,
    ).toBe(404);
  });
});

describe("method calls", () => {
  test("other methods, /changes and /queryChanges included, are unknownMethod", async () => {
    const server = await testServer();
    const responses = await server.call([
      ["x:MtaTlsStrategy/changes", { sinceState: "n" }, "a"],
      ["x:MtaTlsStrategy/queryChanges", {}, "b"],
      ["Email/get", {}, "c"],
      ["x:MtaTlsStrategy/get", { ids: [] }, "d"],
    ]);
    expect(
      responses.map(([name, args, id]) => [name, (args as { type?: string }).type, id]),
    ).toEqual([
      ["error", "unknownMethod", "a"],
      ["error", "unknownMethod", "b"],
      ["error", "unknownMethod", "c"],
      ["x:MtaTlsStrategy/get", undefined, "d"],
    ]);
  });

  test("the response is HTTP 200 with methodResponses and a sessionState", async () => {
    const { post } = await testServer();
    const response = await post({ using: USING, methodCalls: [["Nope/get", {}, "x"]] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      methodResponses: [["error", { type: "unknownMethod", description: "Nope/get" }, "x"]],
      sessionState: expect.stringMatching(/^[0-9a-f]+$/),
    });
  });

  test("POST /jmap answers like /jmap/; POST /api is a 404, as on Stalwart", async () => {
    const { app } = await testServer();
    const body = JSON.stringify({
      using: USING,
      methodCalls: [["x:MtaTlsStrategy/get", { ids: [] }, "c"]],
    });
    const headers = { Authorization: ADMIN, "Content-Type": "application/json" };
    const jmap = await app.request(`${ORIGIN}/jmap`, { method: "POST", headers, body });
    expect((await jmap.json()).methodResponses[0][0]).toBe("x:MtaTlsStrategy/get");
    const api = await app.request(`${ORIGIN}/api`, { method: "POST", headers, body });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      type: "about:blank",
      status: 404,
      title: "Not Found",
      detail: "The requested resource does not exist on this server.",
    });
  });

  test("accountId is optional, unparseable means mine; another's is forbidden unless administrator", async () => {
    const server = await testServer([{ name: "other", password: "pw-other", permissions: "all" }]);
    for (const accountId of [undefined, "b", "not an id!"]) {
      const { name } = await server.one("x:MtaTlsStrategy/get", { accountId, ids: [] });
      expect(name).toBe("x:MtaTlsStrategy/get");
    }
    expect((await server.one("x:MtaTlsStrategy/get", { accountId: "c", ids: [] })).name).toBe(
      "x:MtaTlsStrategy/get",
    );
    const { args } = await server.one(
      "x:MtaTlsStrategy/get",
      { accountId: "b", ids: [] },
      basic("other", "pw-other"),
    );
    expect(args).toEqual({ type: "forbidden", description: "You are not an owner of account b" });
  });

  test("a query and a get chained by a result reference cost one request", async () => {
    const server = await testServer();
    const responses = await server.call([
      [
        "x:MtaTlsStrategy/query",
        { sort: [{ property: "name" }], position: 0, calculateTotal: true },
        "q",
      ],
      [
        "x:MtaTlsStrategy/get",
        {
          "#ids": { resultOf: "q", name: "x:MtaTlsStrategy/query", path: "/ids" },
          properties: ["name"],
        },
        "g",
      ],
    ]);
    const get = responses[1]?.[1] as { list: { name: string }[] } | undefined;
    expect(get?.list.map((s) => s.name)).toEqual(["default", "invalid-tls"]);
  });

  test.each([
    ["an unknown call id", { resultOf: "zz", name: "x:MtaTlsStrategy/query", path: "/ids" }],
    ["the wrong method name", { resultOf: "q", name: "x:MtaTlsStrategy/get", path: "/ids" }],
    [
      "a path that does not exist",
      { resultOf: "q", name: "x:MtaTlsStrategy/query", path: "/nope" },
    ],
    ["no reference at all", "abc"],
  ])("%s is invalidResultReference", async (_label, reference) => {
    const server = await testServer();
    const responses = await server.call([
      ["x:MtaTlsStrategy/query", { position: 0 }, "q"],
      ["x:MtaTlsStrategy/get", { "#ids": reference }, "g"],
    ]);
    expect(responses[1]).toEqual([
      "error",
      expect.objectContaining({ type: "invalidResultReference" }),
      "g",
    ]);
  });

  test("a reference path with * maps over arrays", async () => {
    const server = await testServer();
    const responses = await server.call([
      ["x:MtaTlsStrategy/get", { ids: null, properties: ["name"] }, "g1"],
      [
        "x:MtaTlsStrategy/get",
        { "#ids": { resultOf: "g1", name: "x:MtaTlsStrategy/get", path: "/list/*/id" } },
        "g2",
      ],
    ]);
    const get = responses[1]?.[1] as { list: unknown[] } | undefined;
    expect(get?.list).toHaveLength(2);
  });
});

describe("permissions, per method (shared wire reference §8)", () => {
  const READER = basic("reader", "pw-reader");
  const reader = () =>
    testServer([
      {
        name: "reader",
        password: "pw-reader",
        permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
      },
    ]);

  test("a Get+Query user reads but every kind of change is forbidden, and nothing changes", async () => {
    const server = await reader();
    expect((await server.one("x:MtaTlsStrategy/get", { ids: null }, READER)).name).toBe(
      "x:MtaTlsStrategy/get",
    );
    expect((await server.one("x:MtaTlsStrategy/query", { position: 0 }, READER)).name).toBe(
      "x:MtaTlsStrategy/query",
    );
    const [first] = (await server.one("x:MtaTlsStrategy/query", { position: 0 })).args
      .ids as string[];
    const none = "You are not authorized to create, update or destroy objects of this type";
    for (const [args, description] of [
      [{ create: { a: { name: "x" } } }, none],
      [{ update: { [first as string]: { description: "x" } } }, none],
      [{ destroy: [first] }, none],
    ] as const) {
      const result = await server.one("x:MtaTlsStrategy/set", args, READER);
      expect(result).toEqual({ name: "error", args: { type: "forbidden", description } });
    }
    expect(
      (await server.one("x:MtaTlsStrategy/query", { position: 0, calculateTotal: true })).args
        .total,
    ).toBe(2);
  });

  test("a user without Get or Query is forbidden to read", async () => {
    const server = await testServer([{ name: "nobody", password: "pw-nobody" }]);
    const who = basic("nobody", "pw-nobody");
    for (const method of ["x:MtaTlsStrategy/get", "x:MtaTlsStrategy/query"]) {
      expect(await server.one(method, {}, who)).toEqual({
        name: "error",
        args: { type: "forbidden", description: "You are not authorized to perform this action" },
      });
    }
  });
});

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
    // As the build writes them (vite.config.ts, precompress).
    await writeFile(join(dir, "assets", "app-def456.js"), APP_JS);
    await writeFile(join(dir, "assets", "app-def456.js.br"), brotliCompressSync(APP_JS));
    await writeFile(join(dir, "assets", "app-def456.js.gz"), gzipSync(APP_JS));
    const { store } = await openStore({ dataDir: null, adminPassword: "x" });
    return createApp({ store, staticDir: dir, publicUrl: ORIGIN });
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

describe("proxy mode (STALWART_URL)", () => {
  test("passes requests with their Authorization through and rewrites the session to this origin", async () => {
    const seen: { path: string; authorization?: string; body: string }[] = [];
    const upstream = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
        if (req.url === "/.well-known/jmap") {
          res.writeHead(307, { Location: `http://127.0.0.1:${port}/jmap/session` }).end();
        } else if (req.url === "/jmap/session") {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ apiUrl: `https://mail.example.com/jmap/`, username: "admin" }));
        } else {
          res
            .writeHead(200, { "Content-Type": "application/json" })
            .end(JSON.stringify({ echoed: body }));
        }
      });
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => upstream.once("listening", resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const app = createApp({ upstream: `http://127.0.0.1:${port}`, isAllowedHost: () => true });
      const wellKnown = await app.request("http://ui.local:8080/.well-known/jmap");
      expect(wellKnown.status).toBe(307);
      expect(wellKnown.headers.get("Location")).toBe("http://ui.local:8080/jmap/session");

      const session = await app.request("http://ui.local:8080/jmap/session", {
        headers: { Authorization: ADMIN },
      });
      expect(await session.json()).toEqual({
        apiUrl: "http://ui.local:8080/jmap/",
        username: "admin",
      });

      const api = await app.request("http://ui.local:8080/jmap/", {
        method: "POST",
        headers: { Authorization: ADMIN, "Content-Type": "application/json" },
        body: '{"using":[]}',
      });
      expect(await api.json()).toEqual({ echoed: '{"using":[]}' });
      expect(seen.map((s) => [s.path, s.authorization])).toEqual([
        ["/.well-known/jmap", undefined],
        ["/jmap/session", ADMIN],
        ["/jmap/", ADMIN],
      ]);
    } finally {
      upstream.close();
    }
  });

  test("the proxy states X-Forwarded-* itself and drops upstream CORS headers", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const upstream = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Credentials": "true",
      });
      res.end("{}");
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => upstream.once("listening", resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const app = createApp({
        upstream: `http://127.0.0.1:${port}`,
        isAllowedHost: () => true,
        clientAddress: () => "203.0.113.7",
      });
      const response = await app.request("https://ui.local/jmap/", {
        method: "POST",
        headers: {
          Authorization: ADMIN,
          "Content-Type": "application/json",
          "X-Forwarded-For": "1.1.1.1",
          "X-Forwarded-Host": "evil.example",
          Forwarded: "for=1.1.1.1",
        },
        body: "{}",
      });
      expect(seen["x-forwarded-for"]).toBe("203.0.113.7");
      expect(seen["x-forwarded-proto"]).toBe("https");
      expect(seen["x-forwarded-host"]).toBe("ui.local");
      expect(seen.forwarded).toBeUndefined();
      expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
      expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
    } finally {
      upstream.close();
    }
  });

  test("a session that is not JSON, or a redirect to elsewhere, is a 502; X-Real-IP is dropped", async () => {
    let realIp: string | string[] | undefined = "unset";
    const upstream = createServer((req, res) => {
      realIp = req.headers["x-real-ip"];
      if (req.url === "/jmap/session")
        res.writeHead(200, { "Content-Type": "text/html" }).end("<html>");
      else res.writeHead(302, { Location: "//evil.example/x" }).end();
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => upstream.once("listening", resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const app = createApp({ upstream: `http://127.0.0.1:${port}`, isAllowedHost: () => true });
      const session = await app.request("http://ui.local/jmap/session", {
        headers: { "X-Real-IP": "1.1.1.1" },
      });
      expect(session.status).toBe(502);
      expect(realIp).toBeUndefined();
      const redirected = await app.request("http://ui.local/.well-known/jmap");
      expect(redirected.status).toBe(502);
      expect(redirected.headers.get("Location")).toBeNull();
    } finally {
      upstream.close();
    }
  });

  test.each([
    ["/jmap/session", "https://tls.example.com/jmap/session"],
    ["https://mail.example.com/jmap/?x=1#y", "https://tls.example.com/jmap/?x=1#y"],
    ["session", "https://tls.example.com/session"],
  ])("a redirect within the upstream is rewritten to this origin: %j", (location, expected) => {
    expect(
      sameOriginRedirect(location, "https://mail.example.com", "https://tls.example.com"),
    ).toBe(expected);
  });

  test.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "/\t/evil.example/x",
    "\\\\evil.example/x",
    "https://mail.example.com.evil.example/x",
    "https://mail.example.com:8443/x",
    "http://mail.example.com/x",
    "javascript:alert(1)",
  ])("a redirect that leaves the upstream is refused, however it is written: %j", (location) => {
    expect(
      sameOriginRedirect(location, "https://mail.example.com", "https://tls.example.com"),
    ).toBeNull();
  });

  test("an unreachable upstream is a 502 that says so", async () => {
    const app = createApp({ upstream: "http://127.0.0.1:1", isAllowedHost: () => true });
    const response = await app.request("http://ui.local/jmap/session");
    expect(response.status).toBe(502);
    expect((await response.json()).detail).toMatch(/Could not reach the Stalwart server/);
  });
});
