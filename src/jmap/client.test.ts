import { describe, expect, test } from "vitest";
import * as z from "zod/mini";
import { authorizationHeader } from "./authorization";
import { JmapClient } from "./client";
import {
  ForeignSessionError,
  MethodError,
  RateLimitedError,
  RequestError,
  TransportError,
  UnauthorizedError,
} from "./errors";
import { readSessionMemory, resultOf, type SessionMemory } from "./wire";

// The client against a fetch that answers as Stalwart does (shared wire reference §1, §2, §9):
// discovery, the remembered session, batching, sessionState and each error class. Over 400
// lines on purpose: one file for the one state machine of client.ts, in its order.

const SESSION = {
  capabilities: {
    "urn:ietf:params:jmap:core": {
      maxCallsInRequest: 16,
      maxObjectsInGet: 500,
      maxObjectsInSet: 300,
    },
  },
  accounts: { b: { name: "admin", isPersonal: true, isReadOnly: false, accountCapabilities: {} } },
  primaryAccounts: { "urn:stalwart:jmap": "b" },
  username: "admin",
  apiUrl: "https://mail.example.com/jmap/",
  state: "3a",
};

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function fakeServer(handler: Handler) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (input: URL | RequestInfo, init: RequestInit = {}) => {
    const url = input.toString();
    requests.push({ url, init });
    return handler(url, init);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });

function client(handler: Handler) {
  const server = fakeServer(handler);
  const jmap = new JmapClient(
    { kind: "basic", username: "admin", password: "sécret" },
    { fetch: server.fetch, discoveryUrl: "https://mail.example.com/.well-known/jmap" },
  );
  return { jmap, requests: server.requests };
}

describe("JmapClient", () => {
  test("discovers the session once and posts every call to its apiUrl with the Stalwart account", async () => {
    const { jmap, requests } = client((url, init) => {
      if (url.endsWith("/.well-known/jmap")) return json(SESSION);
      const body = JSON.parse(String(init.body));
      return json({
        methodResponses: body.methodCalls.map(([name, args, id]: [string, unknown, string]) => [
          name,
          args,
          id,
        ]),
        sessionState: SESSION.state,
      });
    });
    const query = { id: "q", name: "x:MtaTlsStrategy/query", args: { position: 0 } };
    await jmap.call([
      query,
      { id: "g", name: "x:MtaTlsStrategy/get", args: { "#ids": resultOf(query, "/ids") } },
    ]);
    await jmap.call([{ name: "x:MtaTlsStrategy/get", args: {} }]);

    expect(requests.map((r) => r.url)).toEqual([
      "https://mail.example.com/.well-known/jmap",
      "https://mail.example.com/jmap/",
      "https://mail.example.com/jmap/",
    ]);
    const first = JSON.parse(String(requests[1]?.init.body));
    expect(first).toEqual({
      using: ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"],
      methodCalls: [
        ["x:MtaTlsStrategy/query", { accountId: "b", position: 0 }, "q"],
        [
          "x:MtaTlsStrategy/get",
          {
            accountId: "b",
            "#ids": { resultOf: "q", name: "x:MtaTlsStrategy/query", path: "/ids" },
          },
          "g",
        ],
      ],
    });
    expect((await jmap.session()).maxObjectsInSet).toBe(300);
  });

  test("sends UTF-8 Basic credentials and Bearer tokens", async () => {
    expect(authorizationHeader({ kind: "basic", username: "admin", password: "sécret" })).toBe(
      `Basic ${Buffer.from("admin:sécret", "utf8").toString("base64")}`,
    );
    expect(authorizationHeader({ kind: "bearer", token: "abc" })).toBe("Bearer abc");
    const { jmap, requests } = client(() => json(SESSION));
    await jmap.session();
    expect(new Headers(requests[0]?.init.headers).get("Authorization")).toMatch(/^Basic /);
  });

  test("raises a distinct error for each way a call fails", async () => {
    const problem = (status: number, body: unknown) => () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/problem+json" },
      });

    await expect(
      client(problem(401, { type: "about:blank", status: 401 })).jmap.session(),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const limit = client((url) =>
      url.endsWith("/.well-known/jmap")
        ? json(SESSION)
        : problem(400, {
            type: "urn:ietf:params:jmap:error:limit",
            status: 400,
            limit: "maxCallsInRequest",
          })(),
    );
    await expect(limit.jmap.call([{ name: "x", args: {} }])).rejects.toMatchObject({
      constructor: RequestError,
      type: "urn:ietf:params:jmap:error:limit",
      limit: "maxCallsInRequest",
    });
    await expect(
      client(() => {
        throw new TypeError("Failed to fetch");
      }).jmap.session(),
    ).rejects.toBeInstanceOf(TransportError);
    await expect(
      client(() => new Response("Bad gateway", { status: 502 })).jmap.session(),
    ).rejects.toMatchObject({
      constructor: TransportError,
      status: 502,
    });
    await expect(client(() => json({ hello: "world" })).jmap.session()).rejects.toBeInstanceOf(
      TransportError,
    );
    // Without accepted credentials Stalwart answers with capabilities only.
    await expect(
      client(() =>
        json({ ...SESSION, primaryAccounts: {}, accounts: {}, username: "" }),
      ).jmap.session(),
    ).rejects.toBeInstanceOf(UnauthorizedError);

    const forbidden = client((url) =>
      url.endsWith("/.well-known/jmap")
        ? json(SESSION)
        : json({
            methodResponses: [["error", { type: "forbidden", description: "No" }, "c0"]],
            sessionState: SESSION.state,
          }),
    );
    const responses = await forbidden.jmap.call([{ name: "x:MtaTlsStrategy/get", args: {} }]);
    expect(() => responses.get("c0", z.object({}))).toThrow(MethodError);
    try {
      responses.get("c0", z.object({}));
    } catch (error) {
      expect(error).toMatchObject({ type: "forbidden", description: "No" });
    }
  });

  test("a malformed method response becomes a TransportError, not a crash", async () => {
    const { jmap } = client((url) =>
      url.endsWith("/.well-known/jmap")
        ? json(SESSION)
        : json({
            methodResponses: [["x:MtaTlsStrategy/get", { list: "nope" }, "c0"]],
            sessionState: SESSION.state,
          }),
    );
    const responses = await jmap.call([{ name: "x:MtaTlsStrategy/get", args: {} }]);
    expect(() => responses.get("c0", z.object({ list: z.array(z.unknown()) }))).toThrow(
      TransportError,
    );
  });

  test("a 429 is a RateLimitedError with the server's wait, never a TransportError to retry", async () => {
    const limited = client(
      () =>
        new Response('{"type":"about:blank","status":429}', {
          status: 429,
          headers: { "Content-Type": "application/problem+json", "Retry-After": "42" },
        }),
    );
    await expect(limited.jmap.session()).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterSeconds: 42,
      message: "Too many failed sign-ins from this address. Try again in 42 seconds.",
    });
  });

  test("a session whose apiUrl is on another origin is refused before any credential goes there", async () => {
    const { jmap, requests } = client(() =>
      json({ ...SESSION, apiUrl: "https://evil.example/jmap/" }),
    );
    await expect(jmap.call([{ name: "x:MtaTlsStrategy/get", args: {} }])).rejects.toBeInstanceOf(
      ForeignSessionError,
    );
    expect(requests.map((r) => r.url)).toEqual(["https://mail.example.com/.well-known/jmap"]);
  });

  test("a failed discovery is retried on the next call instead of being cached", async () => {
    let attempts = 0;
    const { jmap } = client(() => {
      attempts += 1;
      return attempts === 1 ? new Response("", { status: 503 }) : json(SESSION);
    });
    await expect(jmap.session()).rejects.toBeInstanceOf(TransportError);
    await expect(jmap.session()).resolves.toMatchObject({ accountId: "b", apiUrl: SESSION.apiUrl });
  });
});

test("reads the caller's permissions from /api/account on the same server", async () => {
  const { jmap, requests } = client(() =>
    json({ permissions: ["sysMtaTlsStrategyGet"], edition: "oss", locale: "en" }),
  );
  await expect(jmap.account()).resolves.toEqual({
    permissions: ["sysMtaTlsStrategyGet"],
    edition: "oss",
    locale: "en",
  });
  expect(requests[0]?.url).toBe("https://mail.example.com/api/account");
});

test("remembers where discovery led, asks there directly next time, and starts over if it fails", async () => {
  let stored: string | undefined;
  const sessionCache = {
    get: () => ({ url: stored }),
    set: (memory: SessionMemory) => {
      stored = memory.url;
    },
  };
  const urls: string[] = [];
  let sessionMoved = false;
  const fetch = (async (input: URL | RequestInfo) => {
    const url = input.toString();
    urls.push(url);
    if (url.endsWith("/jmap/session") && sessionMoved) return new Response("", { status: 404 });
    const response = json(SESSION);
    // What fetch reports after following /.well-known/jmap's 307.
    Object.defineProperty(response, "url", {
      value: url.endsWith("/.well-known/jmap") ? "https://mail.example.com/jmap/session" : url,
    });
    return response;
  }) as typeof globalThis.fetch;
  const make = () =>
    new JmapClient(
      { kind: "bearer", token: "t" },
      { fetch, discoveryUrl: "https://mail.example.com/.well-known/jmap", sessionCache },
    );

  await make().session();
  expect(stored).toBe("https://mail.example.com/jmap/session");
  await make().session();
  sessionMoved = true;
  await expect(make().session()).resolves.toMatchObject({ accountId: "b" });
  expect(urls).toEqual([
    "https://mail.example.com/.well-known/jmap",
    "https://mail.example.com/jmap/session",
    "https://mail.example.com/jmap/session",
    "https://mail.example.com/.well-known/jmap",
  ]);
});

test("calls made at the same moment share one request, each keeping its own ids and references", async () => {
  const { jmap, requests } = client((url, init) => {
    if (url.endsWith("/.well-known/jmap")) return json(SESSION);
    const body = JSON.parse(String(init.body));
    return json({
      methodResponses: body.methodCalls.map(
        ([name, args, id]: [string, Record<string, unknown>, string]) => [
          name,
          { echoed: args },
          id,
        ],
      ),
      sessionState: SESSION.state,
    });
  });
  await jmap.session();
  const query = { id: "q", name: "x:MtaTlsStrategy/query", args: {} };
  const echoed = z.looseObject({ echoed: z.record(z.string(), z.unknown()) });
  const [list, outbound] = await Promise.all([
    jmap.call([
      query,
      { id: "g", name: "x:MtaTlsStrategy/get", args: { "#ids": resultOf(query, "/ids") } },
    ]),
    jmap.call([{ id: "q", name: "x:MtaOutboundStrategy/get", args: { ids: ["singleton"] } }]),
  ]);
  const posts = requests.filter((r) => r.init.method === "POST");
  expect(posts).toHaveLength(1);
  const sent = JSON.parse(String(posts[0]?.init.body)).methodCalls.map(
    ([name, , id]: [string, unknown, string]) => [name, id],
  );
  expect(sent).toEqual([
    ["x:MtaTlsStrategy/query", "0.q"],
    ["x:MtaTlsStrategy/get", "0.g"],
    ["x:MtaOutboundStrategy/get", "1.q"],
  ]);
  expect(list.get("g", echoed).echoed["#ids"]).toMatchObject({ resultOf: "0.q" });
  expect(outbound.get("q", echoed).echoed).toMatchObject({ ids: ["singleton"] });
  expect(() => outbound.get("g", echoed)).toThrow(TransportError);
});

describe("a session remembered from an earlier load (RFC 8620 §3.4)", () => {
  const answer = (sessionState: string) => (_url: string, init: RequestInit) => {
    if (init.method === "GET") return json(SESSION);
    const body = JSON.parse(String(init.body));
    return json({
      methodResponses: body.methodCalls.map(([name, , id]: [string, unknown, string]) => [
        name,
        {},
        id,
      ]),
      sessionState,
    });
  };
  function remembering(handler: Handler) {
    const server = fakeServer(handler);
    let memory: SessionMemory = {};
    const make = () =>
      new JmapClient(
        { kind: "basic", username: "admin", password: "x" },
        {
          fetch: server.fetch,
          discoveryUrl: "https://mail.example.com/.well-known/jmap",
          sessionCache: {
            get: () => readSessionMemory(JSON.parse(JSON.stringify(memory))),
            set: (next) => {
              memory = next;
            },
          },
        },
      );
    return { make, requests: server.requests, memory: () => memory };
  }
  const call = { id: "q", name: "x:MtaTlsStrategy/query", args: {} };

  test("a reload sends its first call at once, with no session request before it", async () => {
    const { make, requests, memory } = remembering(answer("3a"));
    await make().call([call]);
    expect(requests.map((r) => r.init.method)).toEqual(["GET", "POST"]);
    expect(memory().session).toMatchObject({ accountId: "b", state: "3a", apiUrl: SESSION.apiUrl });

    requests.length = 0;
    await make().call([call]);
    expect(requests.map((r) => r.init.method)).toEqual(["POST"]);
  });

  test("an answer with another sessionState reads the session again, in the background", async () => {
    const { make, requests, memory } = remembering(answer("3a"));
    await make().session();
    memory().session = {
      ...(memory().session as NonNullable<SessionMemory["session"]>),
      state: "2",
    };
    requests.length = 0;
    const jmap = make();
    await jmap.call([call]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests.map((r) => r.init.method)).toEqual(["POST", "GET"]);
    expect(memory().session?.state).toBe("3a");
  });

  test("a session read again because it changed is told to listeners, once per change", async () => {
    const { make, memory } = remembering(answer("3a"));
    await make().session();
    memory().session = {
      ...(memory().session as NonNullable<SessionMemory["session"]>),
      state: "2",
    };
    const jmap = make();
    const told: string[] = [];
    const stop = jmap.onSessionChange((session) => told.push(session.state));
    await jmap.call([call]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(told).toEqual(["3a"]);
    // The same state again is no change.
    await jmap.call([call]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(told).toEqual(["3a"]);
    stop();
  });

  test("a request that fails with a remembered session forgets it; a 401 does not", async () => {
    let status = 503;
    const { make, requests, memory } = remembering((_url, init) =>
      init.method === "GET" ? json(SESSION) : new Response("", { status }),
    );
    await make().session();
    requests.length = 0;
    const jmap = make();
    await expect(jmap.call([call])).rejects.toBeInstanceOf(TransportError);
    expect(memory().session).toBeUndefined();
    await expect(jmap.call([call])).rejects.toBeInstanceOf(TransportError);
    // The second attempt discovered the session before posting.
    expect(requests.map((r) => r.init.method)).toEqual(["POST", "GET", "POST"]);

    status = 401;
    await make().session();
    await expect(make().call([call])).rejects.toBeInstanceOf(UnauthorizedError);
    expect(memory().session).toBeDefined();
  });

  test("signing in never trusts a remembered session: it is discovered with the new credentials", async () => {
    const { make, requests } = remembering(answer("3a"));
    await make().session();
    requests.length = 0;
    await make().session({ useRemembered: false });
    expect(requests.map((r) => r.init.method)).toEqual(["GET"]);
  });

  test("a remembered session whose account is gone is forgotten and the call can be retried", async () => {
    let accountGone = false;
    const { make, requests, memory } = remembering((_url, init) => {
      if (init.method === "GET") return json(SESSION);
      const body = JSON.parse(String(init.body));
      return json({
        methodResponses: body.methodCalls.map(([name, , id]: [string, unknown, string]) =>
          accountGone ? ["error", { type: "accountNotFound" }, id] : [name, {}, id],
        ),
        sessionState: SESSION.state,
      });
    });
    await make().session();
    accountGone = true;
    const jmap = make();
    await expect(jmap.call([call])).rejects.toBeInstanceOf(TransportError);
    expect(memory().session).toBeUndefined();
    accountGone = false;
    requests.length = 0;
    await jmap.call([call]);
    expect(requests.map((r) => r.init.method)).toEqual(["GET", "POST"]);
  });

  test("a client signed out does not leave its session for the next one", async () => {
    const { make, memory } = remembering(answer("3a"));
    const jmap = make();
    jmap.dispose();
    await jmap.session();
    expect(memory().session).toBeUndefined();
  });

  test("a server whose session has no state is not asked again after every answer", async () => {
    const { state: _, ...withoutState } = SESSION;
    const { make, requests } = remembering((_url, init) => {
      if (init.method === "GET") return json(withoutState);
      const body = JSON.parse(String(init.body));
      return json({
        methodResponses: body.methodCalls.map(([name, , id]: [string, unknown, string]) => [
          name,
          {},
          id,
        ]),
        sessionState: "7",
      });
    });
    const jmap = make();
    await jmap.call([call]);
    await jmap.call([call]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests.map((r) => r.init.method)).toEqual(["GET", "POST", "POST"]);
  });

  test("what does not read as a session is not used", () => {
    expect(readSessionMemory({ session: { apiUrl: "x" } })).toEqual({ url: undefined });
    expect(readSessionMemory("nonsense")).toEqual({});
  });
});

test("a 401 for a request sent before new credentials took over says so (stale), one after does not", async () => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = fakeServer(async (_url, init) => {
    if (init.method === "GET") return json(SESSION);
    await held;
    return new Response("", { status: 401 });
  });
  const client = new JmapClient(
    { kind: "basic", username: "admin", password: "old" },
    { fetch: server.fetch, discoveryUrl: "https://mail.example.com/.well-known/jmap" },
  );
  await client.session();
  const sentBefore = client.call([{ id: "q", name: "x:MtaTlsStrategy/query", args: {} }]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  client.setCredentials({ kind: "basic", username: "admin", password: "new" });
  release();
  const before = await sentBefore.catch((error: unknown) => error);
  expect(before).toBeInstanceOf(UnauthorizedError);
  expect((before as UnauthorizedError).isStale).toBe(true);
  const after = await client
    .call([{ id: "q", name: "x:MtaTlsStrategy/query", args: {} }])
    .catch((error: unknown) => error);
  expect((after as UnauthorizedError).isStale).toBe(false);
});
