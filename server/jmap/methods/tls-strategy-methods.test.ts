import { describe, expect, test } from "vitest";
import { testServer } from "../../test-support";

const GET = "x:MtaTlsStrategy/get";
const SET = "x:MtaTlsStrategy/set";
const QUERY = "x:MtaTlsStrategy/query";

describe("a fresh store", () => {
  test("holds invalid-tls then default, otherwise at the defaults", async () => {
    const server = await testServer();
    const { args } = await server.one(GET, { ids: null });
    expect(args.list).toEqual([
      {
        id: expect.stringMatching(/^[a-z792013]{12}$/),
        name: "invalid-tls",
        description: "Allow invalid TLS certificates",
        allowInvalidCerts: true,
        dane: "optional",
        mtaSts: "optional",
        startTls: "optional",
        mtaStsTimeout: 300000,
        tlsTimeout: 180000,
      },
      {
        id: expect.stringMatching(/^[a-z792013]{12}$/),
        name: "default",
        description: "Default TLS settings",
        allowInvalidCerts: false,
        dane: "optional",
        mtaSts: "optional",
        startTls: "optional",
        mtaStsTimeout: 300000,
        tlsTimeout: 180000,
      },
    ]);
    expect(args).not.toHaveProperty("state");
  });
});

describe("x:MtaTlsStrategy/get", () => {
  test("answers explicit ids in request order, with unknown ids in notFound", async () => {
    const server = await testServer();
    const a = await server.create({ name: "a" });
    const b = await server.create({ name: "b" });
    const { args } = await server.one(GET, { ids: [b, "zzzzzzzzzzzz", a] });
    expect((args.list as { id: string }[]).map((s) => s.id)).toEqual([b, a]);
    expect(args.notFound).toEqual(["zzzzzzzzzzzz"]);
    expect(args.accountId).toBe("b");
  });

  test.each([
    [null, 9],
    [undefined, 9],
    [[], 9],
    [["name", "nope"], 2],
  ])("properties %j gives %d properties, always with id", async (properties, count) => {
    const server = await testServer();
    const { args } = await server.one(GET, { ids: null, properties });
    const [first] = args.list as Record<string, unknown>[];
    expect(Object.keys(first ?? {})).toHaveLength(count);
    expect(first).toHaveProperty("id");
  });

  test("more than 500 ids is requestTooLarge", async () => {
    const server = await testServer();
    const { name, args } = await server.one(GET, {
      ids: Array.from({ length: 501 }, (_, i) => `x${i}`),
    });
    expect(name).toBe("error");
    expect(args.type).toBe("requestTooLarge");
  });

  test("ids that are not an array is invalidArguments", async () => {
    const server = await testServer();
    expect((await server.one(GET, { ids: "abc" })).args.type).toBe("invalidArguments");
  });
});

describe("x:MtaTlsStrategy/set create", () => {
  test("starts from the defaults and answers only the new id", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      create: { k1: { name: "relay", tlsTimeout: 90000 } },
    });
    expect(args).toEqual({ accountId: "b", created: { k1: { id: expect.any(String) } } });
    const id = (args.created as Record<string, { id: string }>).k1?.id;
    const got = await server.one(GET, { ids: [id] });
    expect(got.args.list).toEqual([
      {
        id,
        name: "relay",
        description: null,
        allowInvalidCerts: false,
        dane: "optional",
        mtaSts: "optional",
        startTls: "optional",
        mtaStsTimeout: 300000,
        tlsTimeout: 90000,
      },
    ]);
  });

  test("ids grow with creation time", async () => {
    const server = await testServer();
    const first = await server.create({ name: "first" });
    const second = await server.create({ name: "second" });
    const { args } = await server.one(QUERY, {
      sort: [{ property: "id" }],
      position: 0,
      calculateTotal: true,
    });
    expect((args.ids as string[]).slice(-2)).toEqual([first, second]);
  });

  const rows: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      "without a name",
      { description: "x" },
      { type: "validationFailed", validationErrors: [{ type: "Required", property: "name" }] },
    ],
    [
      "an empty name",
      { name: "" },
      { type: "invalidPatch", description: "Invalid value for property.", properties: ["name"] },
    ],
    [
      "a name that is no string",
      { name: 5 },
      { type: "invalidPatch", description: "Invalid value for property.", properties: ["name"] },
    ],
    [
      "an empty description",
      { name: "x", description: "" },
      {
        type: "invalidPatch",
        description: "Invalid value for property.",
        properties: ["description"],
      },
    ],
    [
      "a description that is no string",
      { name: "x", description: 1 },
      {
        type: "invalidPatch",
        description: "Invalid value for property.",
        properties: ["description"],
      },
    ],
    [
      "a non-boolean allowInvalidCerts",
      { name: "x", allowInvalidCerts: "yes" },
      {
        type: "invalidPatch",
        description: "Invalid value for boolean property (expected true or false)",
        properties: ["allowInvalidCerts"],
      },
    ],
    [
      "an enum value outside the three",
      { name: "x", dane: "required" },
      {
        type: "invalidPatch",
        description: 'Invalid value Str("required") for enum type Optional.',
        properties: ["dane"],
      },
    ],
    [
      "a duration as a string",
      { name: "x", tlsTimeout: "5m" },
      {
        type: "invalidPatch",
        description: "Invalid path for Duration",
        properties: ["tlsTimeout"],
      },
    ],
    [
      "a null duration",
      { name: "x", mtaStsTimeout: null },
      {
        type: "invalidPatch",
        description: "Invalid path for Duration",
        properties: ["mtaStsTimeout"],
      },
    ],
    [
      "a zero duration",
      { name: "x", tlsTimeout: 0 },
      { type: "invalidPatch", description: "Invalid duration value", properties: ["tlsTimeout"] },
    ],
    [
      "a negative duration",
      { name: "x", tlsTimeout: -5 },
      { type: "invalidPatch", description: "Invalid duration value", properties: ["tlsTimeout"] },
    ],
    [
      "a fractional duration",
      { name: "x", tlsTimeout: 1.5 },
      { type: "invalidPatch", description: "Invalid duration value", properties: ["tlsTimeout"] },
    ],
    [
      "an id",
      { name: "x", id: "abc" },
      { type: "invalidPatch", description: "Invalid property", properties: ["id"] },
    ],
    [
      "another object's property",
      { name: "x", hostname: "mx" },
      { type: "invalidPatch", description: "Invalid property", properties: ["hostname"] },
    ],
    [
      "a key that is no property",
      { name: "x", color: "red" },
      { type: "invalidPatch", description: "Invalid key for object", properties: [""] },
    ],
    [
      "two bad keys: the first decides",
      { name: "x", dane: "nope", tlsTimeout: 0 },
      {
        type: "invalidPatch",
        description: 'Invalid value Str("nope") for enum type Optional.',
        properties: ["dane"],
      },
    ],
  ];
  test.each(rows)("%s is refused with the exact SetError", async (_label, patch, setError) => {
    const server = await testServer();
    const { args } = await server.one(SET, { create: { k: patch } });
    expect(args).toEqual({ accountId: "b", notCreated: { k: setError } });
  });

  test("a name that exists is a primaryKeyViolation naming the existing id", async () => {
    const server = await testServer();
    const existing = await server.create({ name: "relay" });
    const { args } = await server.one(SET, {
      create: { a: { name: "relay" }, b: { name: "other" }, c: { name: "other" } },
    });
    const otherId = (args.created as Record<string, { id: string }>).b?.id;
    expect(args.notCreated).toEqual({
      a: {
        type: "primaryKeyViolation",
        properties: ["name"],
        objectId: { object: "MtaTlsStrategy", id: existing },
      },
      c: {
        type: "primaryKeyViolation",
        properties: ["name"],
        objectId: { object: "MtaTlsStrategy", id: otherId },
      },
    });
  });
});

describe("x:MtaTlsStrategy/set update and destroy", () => {
  test("an update patches the given keys and answers null", async () => {
    const server = await testServer();
    const id = await server.create({ name: "relay", description: "before" });
    const { args } = await server.one(SET, {
      update: { [id]: { description: null, dane: "require" } },
    });
    expect(args).toEqual({ accountId: "b", updated: { [id]: null } });
    const got = await server.one(GET, {
      ids: [id],
      properties: ["description", "dane", "startTls"],
    });
    expect(got.args.list).toEqual([
      { id, description: null, dane: "require", startTls: "optional" },
    ]);
  });

  test("name is read-only in an update, even unchanged", async () => {
    const server = await testServer();
    const id = await server.create({ name: "relay" });
    const { args } = await server.one(SET, { update: { [id]: { name: "relay" } } });
    expect(args.notUpdated).toEqual({
      [id]: {
        type: "invalidPatch",
        description: "Cannot modify read-only property",
        properties: ["name"],
      },
    });
  });

  test("unknown ids are notFound; an id both updated and destroyed is willDestroy", async () => {
    const server = await testServer();
    const id = await server.create({ name: "relay" });
    const { args } = await server.one(SET, {
      update: { [id]: { description: "x" }, dddddddddddd: { description: "x" } },
      destroy: [id, "bbbbbbbbbbbb"],
    });
    expect(args).toEqual({
      accountId: "b",
      destroyed: [id],
      notUpdated: {
        [id]: { type: "willDestroy", description: "ID will be destroyed." },
        dddddddddddd: { type: "notFound" },
      },
      notDestroyed: { bbbbbbbbbbbb: { type: "notFound" } },
    });
    expect((await server.one(GET, { ids: [id] })).args.notFound).toEqual([id]);
  });

  test("creates, then updates, then destroys; not atomic across items; no states", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      ifInState: "whatever",
      create: { ok: { name: "ok" }, bad: { name: "" } },
      update: { "#ok": { description: "made and changed" } },
      destroy: ["#ok"],
    });
    expect(args.created).toHaveProperty("ok");
    expect(args.notCreated).toHaveProperty("bad");
    const id = (args.created as { ok: { id: string } }).ok.id;
    expect(args.notUpdated).toEqual({
      [id]: { type: "willDestroy", description: "ID will be destroyed." },
    });
    expect(args.destroyed).toEqual([id]);
    expect(args).not.toHaveProperty("oldState");
    expect(args).not.toHaveProperty("newState");
  });

  test("more than 500 operations is requestTooLarge", async () => {
    const server = await testServer();
    const create = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`c${i}`, { name: `n${i}` }]),
    );
    const destroy = Array.from({ length: 201 }, (_, i) => `d${i}`);
    const { name, args } = await server.one(SET, { create, destroy });
    expect([name, args.type]).toEqual(["error", "requestTooLarge"]);
    expect((await server.one(QUERY, { position: 0, calculateTotal: true })).args.total).toBe(2);
  });
});
