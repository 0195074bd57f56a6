import { describe, expect, test } from "vitest";
import { ADMIN, basic, ORIGIN, testServer, USING } from "../test-support";

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
