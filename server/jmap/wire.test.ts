import { describe, expect, test } from "vitest";
import { compareIds } from "../ids";
import { ADMIN, basic, ORIGIN, testServer, USING } from "../test-support";

// The embedded server answers as Stalwart v0.16 does, to the byte (README, Architecture: the
// wire reference docs/reference/stalwart-jmap.md). One row per rule of the shared wire
// reference; the section is in each row's name. Over 400 lines on purpose: the rules read here
// in the reference's order, one file for one document.

const GET = "x:MtaTlsStrategy/get";
const SET = "x:MtaTlsStrategy/set";
const QUERY = "x:MtaTlsStrategy/query";

type Server = Awaited<ReturnType<typeof testServer>>;

/** Posts a raw body and returns the status, the Content-Type and the parsed answer. */
async function raw(server: Server, body: string, headers: Record<string, string> = {}) {
  const response = await server.post(body, ADMIN, headers);
  return {
    status: response.status,
    contentType: response.headers.get("Content-Type"),
    json: await response.json(),
  };
}

describe("request-level problems (reference §2, §12)", () => {
  const requestBody = JSON.stringify({ using: USING, methodCalls: [] });
  test.each([
    [
      "§2 a Content-Type that is not JSON is notJSON, with no title",
      requestBody,
      { "Content-Type": "text/plain" },
      {
        type: "urn:ietf:params:jmap:error:notJSON",
        status: 400,
        detail: "Failed to parse JSON: The Content-Type header must be application/json.",
      },
    ],
    ["§2 bad JSON is notRequest; the detail is the raw body", "{nope", {}, null],
    ["§2 no using is notRequest", '{"methodCalls":[]}', {}, null],
    ["§2 no methodCalls is notRequest", `{"using":${JSON.stringify(USING)}}`, {}, null],
    [
      "§2 an unknown capability is notRequest",
      JSON.stringify({ using: [...USING, "urn:example:nope"], methodCalls: [] }),
      {},
      null,
    ],
    [
      "§2 a malformed createdIds is notRequest",
      JSON.stringify({ using: USING, methodCalls: [], createdIds: { a: 1 } }),
      {},
      null,
    ],
    [
      "§2 a malformed call is notRequest",
      JSON.stringify({ using: USING, methodCalls: [["x:MtaTlsStrategy/get", {}]] }),
      {},
      null,
    ],
    [
      "§2 nesting 10,000 levels deep is notRequest, not a 500",
      `{"using":${JSON.stringify(USING)},"methodCalls":[["${GET}",{"ids":${"[".repeat(10_000)}${"]".repeat(10_000)}},"c"]]}`,
      {},
      null,
    ],
  ])("%s", async (_rule, body, headers, exact) => {
    const server = await testServer();
    const answer = await raw(server, body, headers);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe("application/problem+json");
    expect(answer.json).not.toHaveProperty("title");
    expect(answer.json).toEqual(
      exact ?? { type: "urn:ietf:params:jmap:error:notRequest", status: 400, detail: body },
    );
  });

  test("§2 bytes that are not UTF-8 are notRequest", async () => {
    const server = await testServer();
    const response = await server.app.request(`${ORIGIN}/jmap/`, {
      method: "POST",
      headers: { Authorization: ADMIN, "Content-Type": "application/json" },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).type).toBe("urn:ietf:params:jmap:error:notRequest");
  });

  test("§12 more than 16 calls is the maxCallsInRequest limit, in Stalwart's words", async () => {
    const server = await testServer();
    const methodCalls = Array.from({ length: 17 }, (_, i) => [GET, { ids: [] }, `c${i}`]);
    const answer = await raw(server, JSON.stringify({ using: USING, methodCalls }));
    expect(answer.json).toEqual({
      type: "urn:ietf:params:jmap:error:limit",
      status: 400,
      limit: "maxCallsInRequest",
      detail: "The request exceeds the maximum number of calls in a single request.",
    });
  });

  test("§12 a body over 10 MB is the maxSizeRequest limit, in Stalwart's words", async () => {
    const server = await testServer();
    const body = JSON.stringify({ using: USING, methodCalls: [], padding: "x".repeat(10_000_001) });
    expect((await raw(server, body)).json).toEqual({
      type: "urn:ietf:params:jmap:error:limit",
      status: 400,
      limit: "maxSizeRequest",
      detail: "The request is larger than the server is willing to process.",
    });
  });

  test("§1 every JSON answer is application/json; charset=utf-8", async () => {
    const server = await testServer();
    const answer = await raw(server, JSON.stringify({ using: USING, methodCalls: [] }));
    expect(answer.contentType).toBe("application/json; charset=utf-8");
    for (const path of ["/jmap/session", "/api/account"]) {
      const response = await server.app.request(`${ORIGIN}${path}`, {
        headers: { Authorization: ADMIN },
      });
      expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    }
  });
});

describe("createdIds and creation ids across calls (reference §2, RFC 8620 §3.3)", () => {
  test("§2 createdIds is echoed and extended when the request carries it", async () => {
    const server = await testServer();
    const pre = await server.create({ name: "pre" });
    const response = await server.post({
      using: USING,
      createdIds: { pre },
      methodCalls: [
        [SET, { create: { k1: { name: "k1" } } }, "a"],
        [SET, { update: { "#pre": { description: "via #pre" } } }, "b"],
      ],
    });
    const body = await response.json();
    // As Stalwart sends it: after sessionState.
    expect(Object.keys(body)).toEqual(["methodResponses", "sessionState", "createdIds"]);
    expect(body.createdIds).toEqual({ pre, k1: expect.stringMatching(/^[a-z792013]{12}$/) });
    // A creation reference is resolved: the answer names the id.
    expect(body.methodResponses[1][1]).toEqual({ accountId: "b", updated: { [pre]: null } });
  });

  test("§2 createdIds that holds nothing is not sent back; a malformed one is notRequest", async () => {
    const server = await testServer();
    const empty = await server.post({
      using: USING,
      createdIds: {},
      methodCalls: [[GET, { ids: [] }, "a"]],
    });
    expect(await empty.json()).not.toHaveProperty("createdIds");
    const bad = await server.post({
      using: USING,
      createdIds: { pre: "!!bad" },
      methodCalls: [],
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).type).toBe("urn:ietf:params:jmap:error:notRequest");
  });

  test("§2 ids created by a settings reload join createdIds", async () => {
    const server = await testServer();
    const response = await server.post({
      using: USING,
      createdIds: {},
      methodCalls: [["x:Action/set", { create: { r1: { "@type": "ReloadSettings" } } }, "a"]],
    });
    expect((await response.json()).createdIds).toEqual({ r1: expect.any(String) });
  });

  test("§2 without createdIds in the request, none in the answer", async () => {
    const server = await testServer();
    const response = await server.post({
      using: USING,
      methodCalls: [[SET, { create: { k1: { name: "k1" } } }, "a"]],
    });
    expect(await response.json()).not.toHaveProperty("createdIds");
  });

  test("§2 a creation id resolves in any later call: /set update and destroy, /get ids", async () => {
    const server = await testServer();
    const responses = await server.call([
      [SET, { create: { k2: { name: "k2" } } }, "a"],
      [SET, { update: { "#k2": { tlsTimeout: 90_000 } } }, "b"],
      [GET, { ids: ["#k2"], properties: ["tlsTimeout"] }, "c"],
      [SET, { destroy: ["#k2"] }, "d"],
      [GET, { ids: ["#k2"] }, "e"],
    ]);
    const created = responses[0]?.[1] as { created: { k2: { id: string } } } | undefined;
    const id = created?.created.k2.id as string;
    expect(responses[1]?.[1]).toEqual({ accountId: "b", updated: { [id]: null } });
    expect(responses[2]?.[1]).toEqual({
      accountId: "b",
      list: [{ tlsTimeout: 90_000, id }],
      notFound: [],
    });
    expect(responses[3]?.[1]).toEqual({ accountId: "b", destroyed: [id] });
    expect(responses[4]?.[1]).toEqual({ accountId: "b", list: [], notFound: [id] });
  });
});

describe("x:MtaTlsStrategy/get (reference §4)", () => {
  test("§4 notFound lists the unparseable ids first, as written, then the unknown ones in their shortest form", async () => {
    const server = await testServer();
    const { args } = await server.one(GET, {
      ids: ["aaaaaaaaaaaa", "not an id!", "bbbbbbbbbbbb", "#nope", ""],
    });
    // "aaaaaaaaaaaa" and "" are both id 0, written "a" (§3).
    expect(args.notFound).toEqual(["not an id!", "#nope", "a", "bbbbbbbbbbbb", "a"]);
  });

  test("§3 objects come in wire key order, whatever properties asked; id always, last", async () => {
    const server = await testServer();
    const all = await server.one(GET, { ids: null });
    expect(Object.keys((all.args.list as object[])[0] ?? {})).toEqual([
      "name",
      "allowInvalidCerts",
      "dane",
      "description",
      "mtaSts",
      "startTls",
      "mtaStsTimeout",
      "tlsTimeout",
      "id",
    ]);
    const some = await server.one(GET, {
      ids: null,
      properties: ["tlsTimeout", "id", "name", "nope"],
    });
    expect(Object.keys((some.args.list as object[])[0] ?? {})).toEqual([
      "name",
      "tlsTimeout",
      "id",
    ]);
  });

  test("§4 the answer has accountId, list and notFound, and no state", async () => {
    const server = await testServer();
    expect(Object.keys((await server.one(GET, { ids: [] })).args)).toEqual([
      "accountId",
      "list",
      "notFound",
    ]);
  });

  test("§12 more than 500 ids is requestTooLarge, in Stalwart's words", async () => {
    const server = await testServer();
    const { args } = await server.one(GET, { ids: Array.from({ length: 501 }, () => "a") });
    expect(args).toEqual({
      type: "requestTooLarge",
      description:
        "The number of ids requested by the client exceeds the maximum number the server is willing to process in a single method call.",
    });
  });
});

describe("x:MtaTlsStrategy/set (reference §5)", () => {
  test("§5 unparseable ids are dropped silently, in update and in destroy", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      update: { "#new-0": { description: "x" }, "not an id!": { description: "x" } },
      destroy: ["#new-0", "!!", "cccccccccccc"],
    });
    expect(args).toEqual({ accountId: "b", notDestroyed: { cccccccccccc: { type: "notFound" } } });
  });

  test("§5 an id both updated and destroyed is willDestroy, with its description", async () => {
    const server = await testServer();
    const id = await server.create({ name: "both" });
    const { args } = await server.one(SET, {
      update: { [id]: { dane: "require" } },
      destroy: [id],
    });
    expect(args.notUpdated).toEqual({
      [id]: { type: "willDestroy", description: "ID will be destroyed." },
    });
  });

  test("§5 @type is ignored, on create and on update", async () => {
    const server = await testServer();
    const created = await server.one(SET, {
      create: { a: { "@type": "MtaTlsStrategy", name: "typed" } },
    });
    const id = (created.args.created as { a: { id: string } }).a.id;
    const updated = await server.one(SET, {
      update: { [id]: { "@type": "Whatever", dane: "disable" } },
    });
    expect(updated.args).toEqual({ accountId: "b", updated: { [id]: null } });
  });

  test.each([
    ["an unknown key", { foo: 1 }, "foo"],
    ["id", { id: "x" }, "id"],
    ["another object's property", { route: "x" }, "route"],
  ])("§5 on update, %s is Invalid property naming the key", async (_label, patch, key) => {
    const server = await testServer();
    const id = await server.create({ name: "patched" });
    const { args } = await server.one(SET, { update: { [id]: patch } });
    expect(args.notUpdated).toEqual({
      [id]: { type: "invalidPatch", description: "Invalid property", properties: [key] },
    });
  });

  test.each([
    ["id", { id: "b" }, { description: "Invalid property", properties: ["id"] }],
    [
      "another object's property",
      { text: "x" },
      { description: "Invalid property", properties: ["text"] },
    ],
    [
      "another one",
      { maxRecipients: 5 },
      { description: "Invalid property", properties: ["maxRecipients"] },
    ],
    [
      "no property at all",
      { nameX: "x" },
      { description: "Invalid key for object", properties: [""] },
    ],
  ])("§5 on create, %s", async (_label, patch, error) => {
    const server = await testServer();
    const { args } = await server.one(SET, { create: { k: { name: "n", ...patch } } });
    expect(args).toEqual({ accountId: "b", notCreated: { k: { type: "invalidPatch", ...error } } });
  });

  test.each([
    ["optional", "Optional"],
    ["require", "Require"],
    ["disable", "Disable"],
  ])("§5 on update, an enum error names the stored variant (%s → %s)", async (stored, variant) => {
    const server = await testServer();
    const id = await server.create({ name: `enum-${stored}`, startTls: stored });
    const { args } = await server.one(SET, { update: { [id]: { startTls: "required" } } });
    expect(args.notUpdated).toEqual({
      [id]: {
        type: "invalidPatch",
        description: `Invalid value Str("required") for enum type ${variant}.`,
        properties: ["startTls"],
      },
    });
  });

  test.each([
    ["300000.0", "tlsTimeout"],
    ["3e5", "mtaStsTimeout"],
    ["1.5", "tlsTimeout"],
  ])("§5 a duration written as %s in the JSON text is refused", async (written, key) => {
    const server = await testServer();
    const response = await server.post(
      `{"using":${JSON.stringify(USING)},"methodCalls":[["${SET}",{"create":{"a":{"name":"f","${key}":${written}}}},"c"]]}`,
    );
    const body = await response.json();
    expect(body.methodResponses[0][1]).toEqual({
      accountId: "b",
      notCreated: {
        a: { type: "invalidPatch", description: "Invalid duration value", properties: [key] },
      },
    });
  });

  test("§12 more than 500 operations is requestTooLarge, in Stalwart's words", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      destroy: Array.from({ length: 501 }, (_, i) => `d${i}`),
    });
    expect(args).toEqual({
      type: "requestTooLarge",
      description:
        "The number of ids requested by the client exceeds the maximum number the server is willing to process in a single method call.",
    });
  });
});

describe("x:MtaTlsStrategy/query (reference §6)", () => {
  async function withSeven() {
    const server = await testServer();
    for (const name of ["a", "b", "c", "d", "e"]) await server.create({ name });
    return server;
  }

  test("§6 the answer's keys come in Stalwart's order", async () => {
    const server = await withSeven();
    const { args } = await server.one(QUERY, { position: 0, limit: 2, calculateTotal: true });
    expect(Object.keys(args)).toEqual([
      "accountId",
      "queryState",
      "canCalculateChanges",
      "position",
      "ids",
      "total",
      "limit",
    ]);
    expect(args).toMatchObject({ queryState: "n", canCalculateChanges: true, total: 7, limit: 2 });
  });

  test.each([
    [
      "§6 position past the end: no ids, and position 0",
      { position: 50 },
      { position: 0, count: 0 },
    ],
    ["§6 a negative position counts from the end", { position: -2 }, { position: 5, count: 2 }],
    [
      "§6 limit is echoed when there are more matches",
      { position: 0, limit: 3 },
      { limit: 3, count: 3 },
    ],
    [
      "§6 limit is not echoed when all fit",
      { position: 0, limit: 10 },
      { limit: undefined, count: 7 },
    ],
    ["§6 limit 0 returns every id and echoes 0", { position: 0, limit: 0 }, { limit: 0, count: 7 }],
  ])("%s", async (_rule, args, expected) => {
    const server = await withSeven();
    const { args: answer } = await server.one(QUERY, { ...args, calculateTotal: true });
    if ("position" in expected) expect(answer.position).toBe(expected.position);
    if ("limit" in expected) expect(answer.limit).toBe(expected.limit);
    expect(answer.ids).toHaveLength(expected.count);
  });

  test.each([
    [
      { filter: { description: "x" } },
      "unsupportedFilter",
      "Filter on property description is not supported or invalid",
    ],
    [
      { filter: { name: 1 } },
      "unsupportedFilter",
      "Filter on property name is not supported or invalid",
    ],
    [
      { sort: [{ property: "description" }] },
      "unsupportedSort",
      "Property description is not supported for sorting",
    ],
    [
      { anchor: "aaaaaaaaaaaa" },
      "anchorNotFound",
      "An anchor argument was supplied, but it cannot be found in the results of the query.",
    ],
  ])("§12 %j is %s, in Stalwart's words", async (args, type, description) => {
    const server = await testServer();
    expect((await server.one(QUERY, args)).args).toEqual({ type, description });
  });
});

describe("method errors (reference §12)", () => {
  test("§12 unknownMethod's description is the method name alone", async () => {
    const server = await testServer();
    expect((await server.one("x:MtaTlsStrategy/changes", {})).args).toEqual({
      type: "unknownMethod",
      description: "x:MtaTlsStrategy/changes",
    });
  });

  test("§12 a reference to a call that is not there names it", async () => {
    const server = await testServer();
    const [, get] = await server.call([
      [QUERY, { position: 0 }, "q"],
      [GET, { "#ids": { resultOf: "q1", name: QUERY, path: "/ids" } }, "g"],
    ]);
    expect(get?.[1]).toEqual({
      type: "invalidResultReference",
      description: `Result reference to q1#${QUERY} not found.`,
    });
  });
});

describe("limits and caps (reference §4, §6, §12)", () => {
  async function withMany(count: number) {
    const server = await testServer();
    await server.store.transaction(({ strategies }, newId) => {
      for (let i = 0; i < count; i += 1) {
        const id = newId();
        strategies.set(id, {
          name: `s-${String(i).padStart(5, "0")}`,
          allowInvalidCerts: false,
          dane: "optional",
          description: null,
          mtaSts: "optional",
          startTls: "optional",
          mtaStsTimeout: 300_000,
          tlsTimeout: 180_000,
          id,
        });
      }
    });
    return server;
  }

  test("§6 a query answers at most 5000 ids, and says so with limit", async () => {
    const server = await withMany(5_010);
    const { args } = await server.one(QUERY, { position: 0, calculateTotal: true });
    expect((args.ids as string[]).length).toBe(5_000);
    expect(args).toMatchObject({ total: 5_012, limit: 5_000 });
  });

  test("§4 ids: null returns at most 500 strategies, in ascending id order", async () => {
    const server = await withMany(510);
    const { args } = await server.one(GET, { ids: null, properties: ["name"] });
    const list = args.list as { id: string }[];
    expect(list).toHaveLength(500);
    expect(list.map((s) => s.id)).toEqual([...list.map((s) => s.id)].sort(compareIds));
  });

  test("§4 explicit ids are answered in request order, duplicates kept", async () => {
    const server = await testServer();
    const a = await server.create({ name: "a" });
    const b = await server.create({ name: "b" });
    const { args } = await server.one(GET, { ids: [b, a, b], properties: ["name"] });
    expect((args.list as { name: string }[]).map((s) => s.name)).toEqual(["b", "a", "b"]);
  });

  test("§4 properties naming only another object's properties answers the id alone", async () => {
    const server = await testServer();
    const { args } = await server.one(GET, { ids: null, properties: ["text", "secret"] });
    expect(Object.keys((args.list as object[])[0] ?? {})).toEqual(["id"]);
  });

  test("§7 #properties and #destroy take references too", async () => {
    const server = await testServer();
    const id = await server.create({ name: "doomed" });
    const responses = await server.call([
      [QUERY, { filter: { name: "doomed" }, position: 0 }, "q"],
      [GET, { ids: [], "#properties": { resultOf: "q", name: QUERY, path: "/ids" } }, "g"],
      [SET, { "#destroy": { resultOf: "q", name: QUERY, path: "/ids" } }, "d"],
    ]);
    expect(responses[1]?.[0]).toBe(GET);
    expect(responses[2]?.[1]).toEqual({ accountId: "b", destroyed: [id] });
  });

  test("§7 only the answers of /get and /query can be referred to", async () => {
    const server = await testServer();
    const [, second] = await server.call([
      [SET, { create: { a: { name: "made" } } }, "s"],
      [GET, { "#ids": { resultOf: "s", name: SET, path: "/created/a/id" } }, "g"],
    ]);
    expect(second?.[1]).toEqual({
      type: "invalidResultReference",
      description: `Result reference to s#${SET} not found.`,
    });
  });

  test.each([
    ["x:MtaOutboundStrategy/get", { ids: Array.from({ length: 501 }, () => "singleton") }],
    ["x:MtaOutboundStrategy/set", { destroy: Array.from({ length: 501 }, (_, i) => `d${i}`) }],
    ["x:Action/get", { ids: Array.from({ length: 501 }, (_, i) => `a${i}`) }],
    ["x:Action/set", { destroy: Array.from({ length: 501 }, (_, i) => `a${i}`) }],
  ])("§12 %s over 500 ids is requestTooLarge too", async (method, args) => {
    const server = await testServer();
    expect((await server.one(method, args)).args.type).toBe("requestTooLarge");
  });

  test("§12 problem details keep Stalwart's key order", async () => {
    const server = await testServer();
    const calls = Array.from({ length: 17 }, (_, i) => [GET, {}, `c${i}`]);
    const tooMany = await server.post({ using: USING, methodCalls: calls });
    expect(Object.keys(await tooMany.json())).toEqual(["type", "status", "detail", "limit"]);
    const notFound = await server.app.request(`${ORIGIN}/nope`);
    expect(Object.keys(await notFound.json())).toEqual(["type", "status", "title", "detail"]);
  });

  test("an answer too large to send is a method error; the write before it is still answered", async () => {
    const server = await testServer();
    const big = await server.create({ name: "big", description: "x".repeat(2_000_000) });
    const responses = await server.call([
      [SET, { create: { small: { name: "small" } } }, "s"],
      [GET, { ids: Array.from({ length: 40 }, () => big), properties: ["description"] }, "g"],
    ]);
    expect(responses[0]?.[1]).toMatchObject({ created: { small: {} } });
    expect(responses[1]).toEqual([
      "error",
      {
        type: "requestTooLarge",
        description: "The response to this call is larger than the server is willing to send.",
      },
      "g",
    ]);
  });

  test("350,000 AND conditions fold into the tightest bounds", async () => {
    const server = await withMany(2_000);
    const conditions = Array.from({ length: 350_000 }, (_, i) =>
      i % 2
        ? { nameIsGreaterThan: "s-" }
        : { nameIsLessThan: `s-${String(200 - (i % 100)).padStart(5, "0")}` },
    );
    const { args } = await server.one(QUERY, {
      filter: {
        operator: "AND",
        conditions: [...conditions, { nameIsGreaterThanOrEqual: "s-00010" }],
      },
      position: 0,
      calculateTotal: true,
    });
    // s-00010 … s-00101: the greatest lower bound and the least upper bound win.
    expect(args.total).toBe(92);
    const exact = await server.one(QUERY, {
      filter: { operator: "AND", conditions: [{ name: "s-00001" }, { name: "s-00002" }] },
      position: 0,
      calculateTotal: true,
    });
    expect(exact.args.total).toBe(0);
  });
});

describe("ids (reference §3)", () => {
  test("§3 an id is read at any length, upper-case K–Z as k–z; answers name it in its shortest form", async () => {
    const server = await testServer();
    const id = await server.create({ name: "shortest" });
    const shouted = id.replace(/[k-z]/g, (char) => char.toUpperCase());
    const got = await server.one(GET, { ids: [`aa${id}`, shouted], properties: ["name"] });
    expect(got.args).toEqual({
      accountId: "b",
      list: [
        { name: "shortest", id },
        { name: "shortest", id },
      ],
      notFound: [],
    });
    const set = await server.one(SET, {
      update: { [`a${id}`]: { description: "found" } },
      destroy: [`aaa${shouted}`],
    });
    expect(set.args).toEqual({
      accountId: "b",
      destroyed: [id],
      notUpdated: { [id]: { type: "willDestroy", description: "ID will be destroyed." } },
    });
  });

  test("§3 upper-case A–J and anything outside the alphabet are unparseable; the empty string is id 0", async () => {
    const server = await testServer();
    const { args } = await server.one(GET, { ids: ["B", "J", "a-b", "é", "Kk", "", "aab"] });
    expect(args.notFound).toEqual(["B", "J", "a-b", "é", "kk", "a", "b"]);
    const set = await server.one(SET, { destroy: ["B", "J", "", "aab"] });
    expect(set.args).toEqual({
      accountId: "b",
      notDestroyed: { a: { type: "notFound" }, b: { type: "notFound" } },
    });
  });

  test("§3 a query's anchor is read as an id", async () => {
    const server = await testServer();
    const id = await server.create({ name: "anchored" });
    const { args } = await server.one(QUERY, { anchor: `aa${id}`, limit: 1 });
    expect(args.ids).toEqual([id]);
  });

  test("§1 accountId is read as an id", async () => {
    const server = await testServer([{ name: "other", password: "pw-other", permissions: "all" }]);
    // "ab" is "b", the administrator's own; "c" is other's own account.
    expect((await server.one(GET, { accountId: "ab", ids: [] })).args.accountId).toBe("b");
    const { args } = await server.one(
      GET,
      { accountId: "aab", ids: [] },
      basic("other", "pw-other"),
    );
    expect(args).toEqual({ type: "forbidden", description: "You are not an owner of account b" });
  });
});

describe("properties on every /get (reference §4)", () => {
  const TLS_KEYS = [
    "name",
    "allowInvalidCerts",
    "dane",
    "description",
    "mtaSts",
    "startTls",
    "mtaStsTimeout",
    "tlsTimeout",
    "id",
  ];
  const OUTBOUND_KEYS = ["connection", "route", "schedule", "tls", "id"];

  test.each([
    [null, TLS_KEYS, OUTBOUND_KEYS],
    [[], TLS_KEYS, OUTBOUND_KEYS],
    [["bogus"], TLS_KEYS, OUTBOUND_KEYS],
    [
      ["name", "bogus", "tls"],
      ["name", "id"],
      ["tls", "id"],
    ],
    [["text"], ["id"], ["id"]],
    [
      ["description", "route"],
      ["description", "id"],
      ["route", "id"],
    ],
  ])("§4 properties %j", async (properties, tlsKeys, outboundKeys) => {
    const server = await testServer();
    const tlsGet = await server.one(GET, { ids: null, properties });
    expect(Object.keys((tlsGet.args.list as object[])[0] ?? {})).toEqual(tlsKeys);
    const outboundGet = await server.one("x:MtaOutboundStrategy/get", {
      ids: ["singleton"],
      properties,
    });
    expect(Object.keys((outboundGet.args.list as object[])[0] ?? {})).toEqual(outboundKeys);
    const actionGet = await server.one("x:Action/get", { ids: ["b"], properties });
    expect(actionGet.args).toEqual({ accountId: "b", list: [], notFound: ["b"] });
  });

  test("§4 properties that are not a list of names is invalidArguments, on every /get", async () => {
    const server = await testServer();
    for (const method of [GET, "x:MtaOutboundStrategy/get", "x:Action/get"]) {
      const { args } = await server.one(method, { ids: [], properties: "name" });
      expect(args.type).toBe("invalidArguments");
    }
  });
});

describe("notFound on every /get (reference §4, §10, §11)", () => {
  test("§4 unparseable ids first, as written, then the unknown ones: x:MtaOutboundStrategy", async () => {
    const server = await testServer();
    const { args } = await server.one("x:MtaOutboundStrategy/get", {
      ids: ["other", "not an id!", "aasingleton", "#nope", ""],
      properties: ["tls"],
    });
    expect(args).toMatchObject({
      list: [{ tls: expect.any(Object), id: "singleton" }],
      notFound: ["not an id!", "#nope", "other", "a"],
    });
  });

  test("§11 x:Action/get: every id unknown, the unparseable first", async () => {
    const server = await testServer();
    const { args } = await server.one("x:Action/get", { ids: ["bvqzsia", "B!", "aab"] });
    expect(args).toEqual({ accountId: "b", list: [], notFound: ["B!", "bvqzsia", "b"] });
  });
});

describe("filters of x:MtaTlsStrategy/query (reference §6)", () => {
  test.each([
    [{ foo: "x" }, "foo"],
    [{ nameIsFoo: "x" }, "nameIsFoo"],
    [{ operator: "AND", conditions: [{ name: "x" }, { bogus: 1 }] }, "bogus"],
    [{ text: "x" }, "Filter on property text is not supported or invalid"],
    [{ description: "x" }, "Filter on property description is not supported or invalid"],
    [{ id: "x" }, "Filter on property id is not supported or invalid"],
    [{ nameIsGreaterThan: 5 }, "Filter on property name is not supported or invalid"],
    [{ nameIsLessThanOrEqual: null }, "Filter on property name is not supported or invalid"],
    [{ name: ["x"] }, "Filter on property name is not supported or invalid"],
  ])("§6 %j is unsupportedFilter %j", async (filter, description) => {
    const server = await testServer();
    expect((await server.one(QUERY, { filter, position: 0 })).args).toEqual({
      type: "unsupportedFilter",
      description,
    });
  });
});

describe("permissions of every /set (reference §8, §11)", () => {
  const NONE = "You are not authorized to create, update or destroy objects of this type";
  const users = [
    { name: "reader", password: "pw-reader", permissions: ["sysMtaTlsStrategyGet"] },
    {
      name: "creator",
      password: "pw-creator",
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyCreate"],
    },
  ];

  test.each([[GET.replace("get", "set")], ["x:MtaOutboundStrategy/set"], ["x:Action/set"]])(
    "§8 %s by a caller with none of the three: the same text, even when empty",
    async (method) => {
      const server = await testServer(users);
      for (const args of [{}, { create: {} }, { destroy: ["b"] }]) {
        expect(await server.one(method, args, basic("reader", "pw-reader"))).toEqual({
          name: "error",
          args: { type: "forbidden", description: NONE },
        });
      }
    },
  );

  test("§8 a caller holding one of the three gets the text of the change it may not make", async () => {
    const server = await testServer(users);
    const creator = basic("creator", "pw-creator");
    expect((await server.one(SET, {}, creator)).args).toEqual({ accountId: "d" });
    for (const [args, kind] of [
      [{ update: { b: {} } }, "update"],
      [{ destroy: ["b"] }, "destroy"],
    ] as const) {
      expect(await server.one(SET, args, creator)).toEqual({
        name: "error",
        args: {
          type: "forbidden",
          description: `You are not authorized to ${kind} objects of this type`,
        },
      });
    }
  });
});

describe("x:MtaOutboundStrategy/set (reference §10, expressions reference §5)", () => {
  const OUTBOUND_SET = "x:MtaOutboundStrategy/set";

  test.each([
    [
      "§5.2 a compile error is validationFailed naming the property",
      { match: { "0": { if: "rcpt_domain == example.com", then: "'x'" } }, else: "'default'" },
      {
        type: "validationFailed",
        properties: ["tls"],
        validationErrors: [
          {
            type: "Invalid",
            property: "tls",
            value: `Error parsing 'if' expression in condition #1: Invalid variable or constant "example.com"`,
          },
        ],
      },
    ],
    [
      "§5.2 match as a JSON array is invalidPatch on tls/match",
      { match: [{ if: "true", then: "'x'" }], else: "'d'" },
      {
        type: "invalidPatch",
        description: "Invalid value for object property",
        properties: ["tls/match"],
      },
    ],
    [
      "§5.2 an empty else is invalidPatch on tls/else",
      { match: {}, else: "" },
      {
        type: "invalidPatch",
        description: "Invalid value for property.",
        properties: ["tls/else"],
      },
    ],
  ])("%s", async (_rule, tls, setError) => {
    const server = await testServer();
    const { args } = await server.one(OUTBOUND_SET, { update: { singleton: { tls } } });
    expect(args).toEqual({ accountId: "b", notUpdated: { singleton: setError } });
  });
});
