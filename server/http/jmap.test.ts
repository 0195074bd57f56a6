import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { createApp } from "../app";
import { nodeListener, serveApp } from "../node-listener";
import { openStore } from "../store";
import { ADMIN, basic, ORIGIN, testServer, USING } from "../test-support";

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
      // liveDeliveryTest too: Stalwart's superusers hold it (shared delivery reference §3.1).
      expect.arrayContaining([
        "sysMtaTlsStrategyCreate",
        "sysMtaTlsStrategyDestroy",
        "liveDeliveryTest",
      ]),
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
