import { describe, expect, test } from "vitest";
import { basic, testServer } from "../test-support";

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

  test.each([
    ["a string", "'default'"],
    ["no else", { match: {} }],
    ["match as an array", { match: [{ if: "a", then: "'b'" }], else: "'c'" }],
    ["a gap in match", { match: { "1": { if: "a", then: "'b'" } }, else: "'c'" }],
    ["an extra key", { match: {}, else: "'c'", extra: 1 }],
    ["an empty condition", { match: { "0": { if: "", then: "'b'" } }, else: "'c'" }],
  ])("%s is Invalid value for property, and stores nothing", async (_label, expression) => {
    const server = await testServer();
    const { args } = await server.one(SET, { update: { singleton: { tls: expression } } });
    expect(args.notUpdated).toEqual({
      singleton: {
        type: "invalidPatch",
        description: "Invalid value for property.",
        properties: ["tls"],
      },
    });
    expect(server.store.outbound.tls.else).toBe("'default'");
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

  test("an update needs sysMtaOutboundStrategyUpdate", async () => {
    const server = await testServer([
      { name: "reader", password: "pw-reader", permissions: ["sysMtaOutboundStrategyGet"] },
    ]);
    const { name, args } = await server.one(
      SET,
      { update: { singleton: { tls } } },
      basic("reader", "pw-reader"),
    );
    expect([name, args]).toEqual([
      "error",
      { type: "forbidden", description: "You are not authorized to update objects of this type" },
    ]);
  });
});
