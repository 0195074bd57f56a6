import { describe, expect, test } from "vitest";
import { DEFAULT_OUTBOUND_STRATEGY } from "../../objects/outbound-strategy";
import { basic, testServer, USING } from "../../test-support";

// x:MtaOutboundStrategy on the wire (shared wire reference §10) and what its /set compiles
// (shared expressions reference §5). Over 400 lines on purpose: one row per rule of §5, in
// the reference's order.

test("x:MtaOutboundStrategy/get answers the singleton with Stalwart's default tls expression", async () => {
  const server = await testServer();
  for (const ids of [["singleton"], null]) {
    const { name, args } = await server.one("x:MtaOutboundStrategy/get", { ids });
    expect(name).toBe("x:MtaOutboundStrategy/get");
    expect(args.notFound).toEqual([]);
    const [singleton] = args.list as Record<string, unknown>[];
    expect(singleton).toMatchObject({
      id: "singleton",
      tls: {
        match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
        else: "'default'",
      },
    });
    expect(Object.keys(singleton ?? {}).sort()).toEqual([
      "connection",
      "id",
      "route",
      "schedule",
      "tls",
    ]);
  }
  const other = await server.one("x:MtaOutboundStrategy/get", { ids: ["other"] });
  expect(other.args).toMatchObject({ list: [], notFound: ["other"] });
});

test("reading the outbound strategy needs sysMtaOutboundStrategyGet", async () => {
  const server = await testServer([
    {
      name: "tls-only",
      password: "pw-tls-only",
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
    },
  ]);
  const { args } = await server.one(
    "x:MtaOutboundStrategy/get",
    { ids: ["singleton"] },
    basic("tls-only", "pw-tls-only"),
  );
  expect(args).toEqual({
    type: "forbidden",
    description: "You are not authorized to perform this action",
  });
});

test("the outbound strategy has no /query", async () => {
  const server = await testServer();
  expect((await server.one("x:MtaOutboundStrategy/query", {})).args.type).toBe("unknownMethod");
});

describe("x:MtaOutboundStrategy/set (reference §10)", () => {
  const SET = "x:MtaOutboundStrategy/set";
  const tls = {
    match: { "0": { if: "retry_num > 0", then: "'invalid-tls'" } },
    else: "'relay'",
  };

  test("an update replaces the expression, which reads back as written", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, { update: { singleton: { tls } } });
    expect(args).toEqual({ accountId: "b", updated: { singleton: null } });
    const got = await server.one("x:MtaOutboundStrategy/get", {
      ids: ["singleton"],
      properties: ["tls"],
    });
    expect(got.args.list).toEqual([{ tls, id: "singleton" }]);
    // A saved expression is not in effect until a settings reload (reference §11).
    expect(server.store.running.outbound.tls.else).toBe("'default'");
  });

  test.each([["nope"], ["tls/else"]])("%s is Invalid property", async (key) => {
    const server = await testServer();
    const { args } = await server.one(SET, { update: { singleton: { [key]: "'x'" } } });
    expect(args.notUpdated).toEqual({
      singleton: { type: "invalidPatch", description: "Invalid property", properties: [key] },
    });
  });

  test("singletons cannot be created or destroyed; another id is notFound", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      create: { a: { tls } },
      update: { other: { tls } },
      destroy: ["singleton"],
    });
    const singleton = {
      type: "singleton",
      description: "Singletons cannot be created or destroyed.",
    };
    expect(args).toEqual({
      accountId: "b",
      notCreated: { a: singleton },
      notUpdated: { other: { type: "notFound" } },
      notDestroyed: { singleton },
    });
  });

  test("every /set needs sysMtaOutboundStrategyUpdate; without it, always the create, update or destroy text", async () => {
    const server = await testServer([
      { name: "reader", password: "pw-reader", permissions: ["sysMtaOutboundStrategyGet"] },
    ]);
    for (const args of [
      { update: { singleton: { tls } } },
      { create: { a: { tls } } },
      { destroy: ["singleton"] },
      {},
    ]) {
      const { name, args: answer } = await server.one(SET, args, basic("reader", "pw-reader"));
      expect([name, answer]).toEqual([
        "error",
        {
          type: "forbidden",
          description: "You are not authorized to create, update or destroy objects of this type",
        },
      ]);
    }
    expect(server.store.outbound.tls.else).toBe("'default'");
  });
});

describe("x:MtaOutboundStrategy/set compiles what it stores (shared expressions reference §5)", () => {
  const SET = "x:MtaOutboundStrategy/set";
  const GET = "x:MtaOutboundStrategy/get";
  const rule = (condition: string, then = "'x'") => ({ if: condition, then });
  const tls = { match: { "0": rule("retry_num > 0", "'invalid-tls'") }, else: "'relay'" };

  type Server = Awaited<ReturnType<typeof testServer>>;

  /** Posts a /set whose update is written by hand, so that the JSON text's key order holds. */
  async function setRaw(server: Server, update: string) {
    const response = await server.post(
      `{"using":${JSON.stringify(USING)},"methodCalls":[["${SET}",{"update":{"singleton":${update}}},"c"]]}`,
    );
    return (await response.json()).methodResponses[0][1] as Record<string, unknown>;
  }

  const storedTls = async (server: Server) =>
    (
      (await server.one(GET, { ids: ["singleton"], properties: ["tls"] })).args.list as {
        tls: unknown;
      }[]
    )[0]?.tls;

  const invalid = (property: string, value: string) => ({
    type: "validationFailed",
    properties: [property],
    validationErrors: [{ type: "Invalid", property, value }],
  });

  test("the defaults of §10: route and schedule call is_local_domain with one argument, and all four compile", async () => {
    const server = await testServer();
    const { args } = await server.one(GET, { ids: ["singleton"] });
    expect(args.list).toEqual([
      {
        connection: { match: {}, else: "'default'" },
        route: {
          match: { "0": { if: "is_local_domain(rcpt_domain)", then: "'local'" } },
          else: "'mx'",
        },
        schedule: {
          match: {
            "0": { if: "is_local_domain(rcpt_domain)", then: "'local'" },
            "1": { if: "source == 'dsn'", then: "'dsn'" },
            "2": { if: "source == 'report'", then: "'report'" },
          },
          else: "'remote'",
        },
        tls: {
          match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
          else: "'default'",
        },
        id: "singleton",
      },
    ]);
    // An empty patch compiles the stored (default) expressions: they pass.
    expect((await server.one(SET, { update: { singleton: {} } })).args).toEqual({
      accountId: "b",
      updated: { singleton: null },
    });
  });

  test.each([
    [
      "an unquoted domain",
      { match: { "0": rule("rcpt_domain == example.com") }, else: "'default'" },
      `Error parsing 'if' expression in condition #1: Invalid variable or constant "example.com"`,
    ],
    [
      "the two-argument is_local_domain of older versions",
      { match: { "0": rule("is_local_domain('', rcpt_domain)") }, else: "'default'" },
      `Error parsing 'if' expression in condition #1: Expression function "is_local_domain" expected 1 arguments, got 2`,
    ],
    [
      "an unquoted else, reported before any rule",
      { match: { "0": rule("foo") }, else: "default" },
      `Error parsing 'else' expression: Invalid variable or constant "default"`,
    ],
    [
      "a bad then",
      { match: { "0": rule("true", "no-tls") }, else: "'default'" },
      `Error parsing 'then' expression in condition #1: Invalid variable or constant "no"`,
    ],
    [
      "a bad second rule, counted in key order",
      { match: { "5": rule("foo"), "0": rule("true") }, else: "'d'" },
      `Error parsing 'if' expression in condition #2: Invalid variable or constant "foo"`,
    ],
    [
      "a rule without then",
      { match: { "0": { if: "true" } }, else: "'d'" },
      "All 'if' and 'then' blocks must be non-empty",
    ],
  ])(
    "%s is validationFailed with the compiler's text, and stores nothing",
    async (_label, expression, value) => {
      const server = await testServer();
      const { args } = await server.one(SET, { update: { singleton: { tls: expression } } });
      expect(args).toEqual({ accountId: "b", notUpdated: { singleton: invalid("tls", value) } });
      expect(server.store.outbound).toEqual(DEFAULT_OUTBOUND_STRATEGY);
    },
  );

  test.each([
    ["a string", "'default'", "Invalid value for property.", "tls"],
    ["null", null, "Invalid value for property.", "tls"],
    [
      "match as a JSON array",
      { match: [rule("true")], else: "'d'" },
      "Invalid value for object property",
      "tls/match",
    ],
    [
      "a match key that is not an integer",
      { match: { a: rule("true") }, else: "'d'" },
      "Invalid key for object property",
      "tls/match",
    ],
    [
      "a negative match key",
      { match: { "-1": rule("true") }, else: "'d'" },
      "Invalid key for object property",
      "tls/match",
    ],
    [
      "a rule that is not an object",
      { match: { "0": "true" }, else: "'d'" },
      "Invalid value for object property",
      "tls/match",
    ],
    ["an empty else", { match: {}, else: "" }, "Invalid value for property.", "tls/else"],
    ["an else that is no string", { else: 5 }, "Invalid value for property.", "tls/else"],
    [
      "an empty if",
      { match: { "0": rule("") }, else: "'d'" },
      "Invalid value for property.",
      "tls/match/if",
    ],
    [
      "an empty then",
      { match: { "0": rule("true", "") }, else: "'d'" },
      "Invalid value for property.",
      "tls/match/then",
    ],
    [
      "an unknown member of the expression",
      { match: {}, else: "'d'", extra: 1 },
      "Invalid property",
      "tls/extra",
    ],
    [
      "an unknown member of a rule",
      { match: { "0": { ...rule("true"), when: "x" } }, else: "'d'" },
      "Invalid property",
      "tls/match/when",
    ],
  ])("%s is invalidPatch, and stores nothing", async (_label, expression, description, path) => {
    const server = await testServer();
    const { args } = await server.one(SET, { update: { singleton: { tls: expression } } });
    expect(args).toEqual({
      accountId: "b",
      notUpdated: { singleton: { type: "invalidPatch", description, properties: [path] } },
    });
    expect(server.store.outbound).toEqual(DEFAULT_OUTBOUND_STRATEGY);
  });

  test("a patch error comes before any compile error; the first bad member of the request decides", async () => {
    const server = await testServer();
    expect(
      await setRaw(
        server,
        `{"connection":{"else":"bare"},"tls":{"else":"","match":[]},"route":{"match":[]}}`,
      ),
    ).toEqual({
      accountId: "b",
      notUpdated: {
        singleton: {
          type: "invalidPatch",
          description: "Invalid value for property.",
          properties: ["tls/else"],
        },
      },
    });
    // Inside match too: the text's order, not JavaScript's (which lists "0" first).
    expect(await setRaw(server, `{"tls":{"match":{"x":{"if":"true"},"0":"no rule"}}}`)).toEqual({
      accountId: "b",
      notUpdated: {
        singleton: {
          type: "invalidPatch",
          description: "Invalid key for object property",
          properties: ["tls/match"],
        },
      },
    });
  });

  test("all four expressions are compiled in Stalwart's order: connection, route, schedule, tls", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      update: {
        singleton: {
          tls: { else: "tls_bare" },
          schedule: { else: "schedule_bare" },
          connection: { else: "connection_bare" },
        },
      },
    });
    expect(args.notUpdated).toEqual({
      singleton: invalid(
        "connection",
        `Error parsing 'else' expression: Invalid variable or constant "connection_bare"`,
      ),
    });
  });

  test("a broken expression already stored blocks saving another one", async () => {
    const server = await testServer();
    await server.store.transaction((draft) => {
      draft.outbound.route = {
        match: { "0": rule("is_local_domain('*', rcpt_domain)") },
        else: "'mx'",
      };
    });
    const { args } = await server.one(SET, { update: { singleton: { tls } } });
    expect(args.notUpdated).toEqual({
      singleton: invalid(
        "route",
        `Error parsing 'if' expression in condition #1: Expression function "is_local_domain" expected 1 arguments, got 2`,
      ),
    });
    expect(server.store.outbound.tls).toEqual(DEFAULT_OUTBOUND_STRATEGY.tls);
  });

  test("match keys are renumbered 0..n-1 in numeric order; /get answers the stored text", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      update: {
        singleton: {
          tls: {
            match: {
              "10": rule("true", "'ten'"),
              "9": rule("true", "'nine'"),
              "+20": rule("false"),
            },
            else: "'d'",
          },
        },
      },
    });
    expect(args).toEqual({ accountId: "b", updated: { singleton: null } });
    expect(await storedTls(server)).toEqual({
      match: {
        "0": rule("true", "'nine'"),
        "1": rule("true", "'ten'"),
        "2": rule("false"),
      },
      else: "'d'",
    });
  });

  test('"01" and "1" are one key: the later in the JSON text wins, whichever it is', async () => {
    const server = await testServer();
    expect(
      await setRaw(
        server,
        `{"tls":{"match":{"01":{"if":"true","then":"'first'"},"1":{"if":"true","then":"'second'"},"0":{"if":"false","then":"'zero'"}}}}`,
      ),
    ).toEqual({ accountId: "b", updated: { singleton: null } });
    expect(await storedTls(server)).toEqual({
      match: { "0": rule("false", "'zero'"), "1": rule("true", "'second'") },
      else: "'default'",
    });
    await setRaw(
      server,
      `{"tls":{"match":{"1":{"if":"true","then":"'first'"},"01":{"if":"true","then":"'second'"}}}}`,
    );
    expect(await storedTls(server)).toEqual({
      match: { "0": rule("true", "'second'") },
      else: "'default'",
    });
  });

  test("an omitted match keeps the stored rules, an omitted else the stored else; match {} clears", async () => {
    const server = await testServer();
    await server.one(SET, { update: { singleton: { tls: { else: "'relay'" } } } });
    expect(await storedTls(server)).toEqual({
      match: DEFAULT_OUTBOUND_STRATEGY.tls.match,
      else: "'relay'",
    });
    await server.one(SET, { update: { singleton: { tls: { match: { "3": rule("true") } } } } });
    expect(await storedTls(server)).toEqual({ match: { "0": rule("true") }, else: "'relay'" });
    await server.one(SET, { update: { singleton: { tls: { match: {} } } } });
    expect(await storedTls(server)).toEqual({ match: {}, else: "'relay'" });
  });

  test("ids are read as ids: the singleton in any form, unparseable ones dropped", async () => {
    const server = await testServer();
    const { args } = await server.one(SET, {
      update: { aaSiNgLeTON: { tls }, "not an id!": { tls }, b: { tls } },
      destroy: ["!!", "c"],
    });
    expect(args).toEqual({
      accountId: "b",
      updated: { singleton: null },
      notUpdated: { b: { type: "notFound" } },
      notDestroyed: {
        c: { type: "singleton", description: "Singletons cannot be created or destroyed." },
      },
    });
  });
});
