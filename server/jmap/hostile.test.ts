import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { canonicalId } from "../ids";
import { brokenRules } from "../objects/tls-strategy";
import { openStore } from "../store";
import { ADMIN, ADMIN_PASSWORD, testServer, USING } from "../test-support";
import { type MethodHandler, runRequest } from "./dispatch";
import { parseJson } from "./json";

// No 5xx, ever, and no write hidden behind an error (README, Architecture): prototype-looking
// keys, deep nesting and a seeded fuzz of random requests. Just over 400 lines: the fuzz and
// the cases it grew from read best together.

const GET = "x:MtaTlsStrategy/get";
const SET = "x:MtaTlsStrategy/set";
const QUERY = "x:MtaTlsStrategy/query";
const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__defineGetter__",
];

/** Posts a body written by hand (JSON.stringify would drop a "__proto__" key). */
async function post(server: Awaited<ReturnType<typeof testServer>>, calls: string) {
  const response = await server.post(`{"using":${JSON.stringify(USING)},"methodCalls":${calls}}`);
  expect(response.status).toBe(200);
  return (await response.json()).methodResponses as [string, Record<string, unknown>, string][];
}

/** The arguments of the i-th answer. */
const argsOf = (responses: [string, Record<string, unknown>, string][], i: number) =>
  responses[i]?.[1] ?? {};

describe.each(PROTOTYPE_KEYS)("the key %j is an ordinary key", (key) => {
  test("as a filter property: unsupportedFilter, never a match of everything", async () => {
    const server = await testServer();
    const responses = await post(
      server,
      `[["${QUERY}",{"filter":{"${key}":"x"},"position":0},"q"]]`,
    );
    // No property of any object: refused with the key alone (shared wire reference §6).
    expect([responses[0]?.[0], argsOf(responses, 0)]).toEqual([
      "error",
      { type: "unsupportedFilter", description: key },
    ]);
  });

  test("as a sort property: unsupportedSort", async () => {
    const server = await testServer();
    const responses = await post(
      server,
      `[["${QUERY}",{"sort":[{"property":"${key}"}],"position":0},"q"]]`,
    );
    expect(argsOf(responses, 0).type).toBe("unsupportedSort");
  });

  test("as an anchor: anchorNotFound", async () => {
    const server = await testServer();
    const responses = await post(server, `[["${QUERY}",{"anchor":"${key}"},"q"]]`);
    expect(argsOf(responses, 0).type).toBe("anchorNotFound");
  });

  test("as a creation id: the strategy is created, and answered", async () => {
    const server = await testServer();
    const responses = await post(
      server,
      `[["${SET}",{"create":{"${key}":{"name":"p-${key}"}}},"s"],["${GET}",{"ids":["#${key}"]},"g"]]`,
    );
    const created = argsOf(responses, 0);
    const got = argsOf(responses, 1);
    const id = (created.created as Record<string, { id: string }>)[key]?.id;
    expect(id).toMatch(/^[a-z792013]{12}$/);
    expect((got.list as { name: string }[]).map((s) => s.name)).toEqual([`p-${key}`]);
  });

  test("as an id: dropped when it cannot be an id, otherwise an unknown one", async () => {
    const server = await testServer();
    const responses = await post(
      server,
      `[["${SET}",{"destroy":["${key}"]},"s"],["${GET}",{"ids":["${key}"]},"g"]]`,
    );
    const set = argsOf(responses, 0);
    const got = argsOf(responses, 1);
    // "constructor" is made of Stalwart's id alphabet ("toString" too, read as "tostring");
    // "__proto__" is not. An unknown id comes back in its shortest form.
    const id = canonicalId(key);
    expect(set).toEqual(
      id === null
        ? { accountId: "b" }
        : { accountId: "b", notDestroyed: { [id]: { type: "notFound" } } },
    );
    expect(got.notFound).toEqual([id ?? key]);
  });

  test("as a property to create with: refused like any unknown key", async () => {
    const server = await testServer();
    const responses = await post(
      server,
      `[["${SET}",{"create":{"a":{"name":"n","${key}":1}}},"s"]]`,
    );
    expect(argsOf(responses, 0).notCreated).toEqual({
      a: { type: "invalidPatch", description: "Invalid key for object", properties: [""] },
    });
  });
});

test("a request whose first call wrote and whose second call fails answers 200 with both", async () => {
  const server = await testServer();
  const responses = await post(
    server,
    `[["${SET}",{"create":{"n":{"name":"kept"}}},"s"],["${QUERY}",{"filter":{"__proto__":"x"}},"q"]]`,
  );
  expect(responses[0]?.[1]).toMatchObject({ created: { n: {} } });
  expect(responses[1]?.[0]).toBe("error");
});

test("a method that fails unexpectedly is serverFail for its call alone; the others stand", async () => {
  const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
  const user = await store.authenticator.authenticate(ADMIN);
  if (!user) throw new Error("admin did not sign in");
  const methods = new Map<string, MethodHandler>([
    ["Good/get", () => ({ ok: true })],
    [
      "Broken/get",
      () => {
        throw new TypeError("a bug");
      },
    ],
  ]);
  const text = JSON.stringify({
    using: USING,
    methodCalls: [
      ["Good/get", {}, "a"],
      ["Broken/get", {}, "b"],
      ["Good/get", {}, "c"],
    ],
  });
  const quiet = console.error;
  console.error = () => undefined;
  try {
    const response = await runRequest(parseJson(text), text, user, store, methods);
    expect(response.methodResponses).toEqual([
      ["Good/get", { ok: true }, "a"],
      ["error", { type: "serverFail", description: "The method could not be completed." }, "b"],
      ["Good/get", { ok: true }, "c"],
    ]);
  } finally {
    console.error = quiet;
  }
});

// --- A fuzz test: random and mutated requests, bounded and seeded ------------------------------

/** A small, seeded generator (mulberry32): the same run every time. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = [
  GET,
  SET,
  QUERY,
  "x:MtaOutboundStrategy/get",
  "x:MtaOutboundStrategy/set",
  "x:Action/set",
  "x:Action/get",
  "Nope/get",
];
const KEYS = [
  ...PROTOTYPE_KEYS,
  "ids",
  "properties",
  "create",
  "update",
  "destroy",
  "filter",
  "sort",
  "position",
  "anchor",
  "anchorOffset",
  "limit",
  "calculateTotal",
  "name",
  "description",
  "dane",
  "mtaSts",
  "startTls",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
  "operator",
  "conditions",
  "nameIsLessThan",
  "nameIsGreaterThanOrEqual",
  "property",
  "isAscending",
  "@type",
  "#ids",
  "resultOf",
  "path",
  "tls",
  "match",
  "else",
  "accountId",
];
const STRINGS = [
  "",
  "a",
  "default",
  "optional",
  "require",
  "disable",
  "#k0",
  "#k1",
  "singleton",
  "aaaaaaaaaaaa",
  "ReloadSettings",
  "AND",
  "OR",
  "/ids",
  "/list/*/id",
  "é\u202E",
  "x".repeat(300),
];

function randomJson(next: () => number, depth: number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const roll = next();
  if (depth > 6 || roll < 0.35) {
    return pick([
      () => JSON.stringify(pick(STRINGS)),
      () => String(Math.floor(next() * 400_000) - 1000),
      () => pick(["300000.0", "1.5", "-0", "1e400", "9007199254740993", "0"]),
      () => pick(["true", "false", "null"]),
    ])();
  }
  if (roll < 0.6) {
    const count = Math.floor(next() * 4);
    return `[${Array.from({ length: count }, () => randomJson(next, depth + 1)).join(",")}]`;
  }
  const count = Math.floor(next() * 5);
  const members = Array.from(
    { length: count },
    () => `${JSON.stringify(pick(KEYS))}:${randomJson(next, depth + 1)}`,
  );
  return `{${members.join(",")}}`;
}

/** Wire values for each property of a strategy: most valid, some of the wrong type or shape. */
const FIELD_VALUES: Record<string, string[]> = {
  name: ['"relay"', '"eu relay"', '"d\\u00e9faut"', '""', "1", "null"],
  description: ['"x"', '""', "null", '"  padded "', "false"],
  dane: ['"optional"', '"require"', '"disable"', '"required"', "1.5"],
  mtaSts: ['"optional"', '"require"', '"disable"', "null"],
  startTls: ['"optional"', '"require"', '"disable"', '"Optional"'],
  allowInvalidCerts: ["true", "false", '"true"', "0"],
  tlsTimeout: ["90000", "300000.0", "0", "-1", '"5m"', "1e3", "9007199254740993"],
  mtaStsTimeout: ["60000", "1.5", "null", "300000"],
};

/** A create or update patch: mostly valid values, sometimes not, sometimes unknown keys. */
function randomPatch(next: () => number, withName: boolean): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const members = withName ? [`"name":"fz-${Math.floor(next() * 1e9)}"`] : [];
  for (let i = Math.floor(next() * 4); i > 0; i -= 1) {
    const key = next() < 0.85 ? pick(Object.keys(FIELD_VALUES)) : pick(KEYS);
    const values = FIELD_VALUES[key];
    members.push(`${JSON.stringify(key)}:${values ? pick(values) : randomJson(next, 3)}`);
  }
  return `{${members.join(",")}}`;
}

/** One method call of a request, mostly well formed with random arguments. */
function randomCall(next: () => number, i: number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const shape = next();
  if (shape < 0.3)
    return `["${SET}",{"create":{"k${i}":${randomPatch(next, next() < 0.9)}}},"c${i}"]`;
  if (shape < 0.42) {
    const target = pick(["#k0", "#k1", "#k2", "aaaaaaaaaaaa", "__proto__"]);
    const destroy = next() < 0.3 ? `,"destroy":["${pick(["#k0", "#k1", "zz"])}"]` : "";
    return `["${SET}",{"update":{"${target}":${randomPatch(next, next() < 0.1)}}${destroy}},"c${i}"]`;
  }
  if (shape < 0.5 && i > 0) {
    // A well-formed back-reference to an earlier call, by the path its answer has.
    const path = pick(["/ids", "/list/*/id", "/created/k0/id", "/ids/0", "/nope"]);
    const method = pick([QUERY, GET, SET]);
    return `["${GET}",{"#ids":{"resultOf":"c${Math.floor(next() * i)}","name":"${method}","path":"${path}"}},"c${i}"]`;
  }
  if (shape < 0.55) {
    // A destroy of whatever a query found: the answer must agree with the store.
    return `["${SET}",{"#destroy":{"resultOf":"c0","name":"${QUERY}","path":"/ids"}},"c${i}"]`;
  }
  if (shape < 0.6)
    return `["x:Action/set",{"create":{"r${i}":${pick(['{"@type":"ReloadSettings"}', '{"@type":"Nope"}', "{}", "[]"])}}},"c${i}"]`;
  if (shape < 0.66) {
    // Large and long: many ids, a long string, a lone surrogate.
    const many = Array.from({ length: 1 + Math.floor(next() * 3000) }, (_, n) => `"id${n}"`);
    const text = pick(['"\\ud800"', '"\\udfff x"', JSON.stringify("y".repeat(20_000))]);
    return pick([
      `["${GET}",{"ids":[${many.join(",")}]},"c${i}"]`,
      `["${SET}",{"destroy":[${many.join(",")}]},"c${i}"]`,
      `["${SET}",{"create":{"k${i}":{"name":${text}}}},"c${i}"]`,
      `["${QUERY}",{"filter":{"name":${text}}},"c${i}"]`,
    ]);
  }
  const args = randomJson(next, 1);
  return `[${JSON.stringify(pick(METHODS))},${args.startsWith("{") ? args : "{}"},"c${i}"]`;
}

/** A request: mostly well formed, sometimes with createdIds, sometimes broken at the top. */
function randomRequest(next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const calls = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => randomCall(next, i));
  const createdIds =
    next() < 0.1
      ? `,"createdIds":${pick(['{"k0":"aaaaaaaaaaaa"}', '{"k9":"b"}', '{"x":1}', "[]", "{}", "null"])}`
      : "";
  const request = `{"using":${JSON.stringify(USING)},"methodCalls":[${calls.join(",")}]${createdIds}}`;
  const mutation = next();
  if (mutation < 0.05) return request.slice(0, Math.floor(next() * request.length));
  if (mutation < 0.08)
    return `{"using":${JSON.stringify(USING)},"methodCalls":${randomJson(next, 0)}}`;
  if (mutation < 0.1) return request.replace(/,/g, () => (next() < 0.1 ? ",," : ","));
  return request;
}

/** The strategy ids a /set answer says it created, and those it says it destroyed. */
function writesOf(responses: [string, Record<string, unknown>, string][]) {
  const created: string[] = [];
  const destroyed: string[] = [];
  for (const [name, args] of responses) {
    if (name !== SET) continue;
    for (const entry of Object.values((args.created ?? {}) as Record<string, { id: string }>))
      created.push(entry.id);
    destroyed.push(...((args.destroyed ?? []) as string[]));
  }
  return { created, destroyed };
}

test("a fuzz of random and mutated requests: never a 5xx, answers that agree with the store, rules kept, all of it durable", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "fuzz-"));
  try {
    const server = await testServer([], dataDir);
    const next = random(20261129);
    // What the answers said: the ids that must exist now, in no particular order.
    const model = new Set(server.store.strategies.keys());
    const quiet = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    let writes = 0;
    try {
      for (let sent = 0; sent < 1_500; sent += 1) {
        const body = randomRequest(next);
        const response = await server.post(body);
        expect(response.status, body).toBeLessThan(500);
        const answer = await response.json();
        if (response.status === 200) {
          expect(answer, body).toHaveProperty("methodResponses");
          expect(answer, body).toHaveProperty("sessionState");
          for (const [name, args] of answer.methodResponses) {
            if (name === "error") expect(args.type, body).not.toBe("serverFail");
          }
          const { created, destroyed } = writesOf(answer.methodResponses);
          for (const id of created) model.add(id);
          for (const id of destroyed) model.delete(id);
          writes += created.length + destroyed.length;
        } else {
          expect(response.headers.get("Content-Type")).toBe("application/problem+json");
          expect(answer).toMatchObject({ type: expect.any(String), status: response.status });
        }
        expect([...server.store.strategies.keys()].sort(), body).toEqual([...model].sort());
      }
    } finally {
      console.error = quiet;
    }
    expect(logged).toEqual([]);
    // Writes went through, and the store still keeps every rule.
    expect(writes).toBeGreaterThan(50);
    const names = new Set<string>();
    for (const strategy of server.store.strategies.values()) {
      expect(brokenRules(strategy), JSON.stringify(strategy)).toEqual([]);
      expect(names.has(strategy.name)).toBe(false);
      names.add(strategy.name);
    }
    const session = await server.app.request("http://mail.test/jmap/session", {
      headers: { Authorization: ADMIN },
    });
    expect(session.status).toBe(200);
    // What was answered was written: a restart reads back the same configuration.
    const { store: reopened } = await openStore({ dataDir, adminPassword: ADMIN_PASSWORD });
    expect([...reopened.strategies.entries()]).toEqual([...server.store.strategies.entries()]);
    expect(reopened.outbound).toEqual(server.store.outbound);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);
