import { afterEach, describe, expect, test, vi } from "vitest";
import { createApp } from "../../app";
import { openStore } from "../../store";
import { ADMIN, ADMIN_PASSWORD, basic, ORIGIN, testServer } from "../../test-support";

// Shared wire reference §11: a save is not in effect until a settings reload.

const RELOAD = { create: { r1: { "@type": "ReloadSettings" } } };
const READ = ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery", "sysMtaTlsStrategyUpdate"];

describe("x:Action/set ReloadSettings", () => {
  test("a save changes the stored strategy only; the running copy follows at the reload", async () => {
    const server = await testServer();
    const id = await server.create({ name: "relay" });
    const running = () => server.store.running.strategies.get(id);
    expect(running()).toBeUndefined();
    await server.one("x:MtaTlsStrategy/set", { update: { [id]: { startTls: "require" } } });
    expect(server.store.strategies.get(id)?.startTls).toBe("require");
    expect(running()).toBeUndefined();

    const { name, args } = await server.one("x:Action/set", RELOAD);
    expect(name).toBe("x:Action/set");
    expect(args).toEqual({ accountId: "b", created: { r1: { id: expect.any(String) } } });
    const created = args.created as { r1: { id: string } };
    expect(created.r1.id).toMatch(/^[a-z792013]{7}$/);
    expect(running()).toMatchObject({ name: "relay", startTls: "require" });
  });

  describe("at a fixed time", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    test("the reload's id is the Unix time in seconds, the same for two in one second", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(1_796_000_000_250);
      const server = await testServer();
      const { args } = await server.one("x:Action/set", {
        create: { r1: { "@type": "ReloadSettings" }, r2: { "@type": "ReloadSettings" } },
      });
      expect(args).toEqual({
        accountId: "b",
        created: { r1: { id: "bvqzsia" }, r2: { id: "bvqzsia" } },
      });
      vi.setSystemTime(1_796_000_001_000);
      expect((await server.one("x:Action/set", RELOAD)).args.created).toEqual({
        r1: { id: "bvqzsib" },
      });
    });
  });

  test("save and reload in one request: the reload runs after the save, even if it failed", async () => {
    const server = await testServer();
    const [saved, reloaded] = await server.call([
      ["x:MtaTlsStrategy/set", { create: { n: { name: "relay-eu" } } }, "s"],
      ["x:Action/set", RELOAD, "a"],
    ]);
    expect(saved?.[1]).toMatchObject({ created: { n: { id: expect.any(String) } } });
    expect(reloaded?.[1]).toMatchObject({ created: { r1: {} } });
    expect([...server.store.running.strategies.values()].map((s) => s.name)).toContain("relay-eu");

    const [failed, reloadedAnyway] = await server.call([
      ["x:MtaTlsStrategy/set", { create: { n: { name: "relay-eu" } } }, "s"],
      ["x:Action/set", RELOAD, "a"],
    ]);
    expect(failed?.[1]).toMatchObject({ notCreated: { n: { type: "primaryKeyViolation" } } });
    expect(reloadedAnyway?.[1]).toMatchObject({ created: { r1: {} } });
  });

  test("the outbound strategy is part of the running copy", async () => {
    const server = await testServer();
    expect(server.store.running.outbound.tls.else).toBe("'default'");
    await server.store.transaction((draft) => {
      draft.outbound.tls.else = "'relay'";
    });
    expect(server.store.running.outbound.tls.else).toBe("'default'");
    await server.one("x:Action/set", RELOAD);
    expect(server.store.running.outbound.tls.else).toBe("'relay'");
  });

  test("without sysActionCreate the whole call is forbidden; the text depends on what else is held", async () => {
    const server = await testServer([
      { name: "editor", password: "pw-editor", permissions: [...READ, "actionReloadSettings"] },
      {
        name: "updater",
        password: "pw-updater",
        permissions: [...READ, "actionReloadSettings", "sysActionUpdate"],
      },
    ]);
    const none = "You are not authorized to create, update or destroy objects of this type";
    // None of sysActionCreate/Update/Destroy (the usual case): the same text for every /set.
    for (const args of [RELOAD, {}, { destroy: ["b"] }]) {
      expect(await server.one("x:Action/set", args, basic("editor", "pw-editor"))).toEqual({
        name: "error",
        args: { type: "forbidden", description: none },
      });
    }
    // Holding one of the three: the text of the kind of change that is not allowed.
    expect(await server.one("x:Action/set", RELOAD, basic("updater", "pw-updater"))).toEqual({
      name: "error",
      args: {
        type: "forbidden",
        description: "You are not authorized to create objects of this type",
      },
    });
    expect(
      await server.one("x:Action/set", { destroy: ["b"] }, basic("updater", "pw-updater")),
    ).toEqual({
      name: "error",
      args: {
        type: "forbidden",
        description: "You are not authorized to destroy objects of this type",
      },
    });
  });

  test("an update or a destroy without sysActionUpdate or sysActionDestroy fails the whole call", async () => {
    const server = await testServer([
      {
        name: "reloader",
        password: "pw-reloader",
        permissions: [...READ, "actionReloadSettings", "sysActionCreate"],
      },
    ]);
    const who = basic("reloader", "pw-reloader");
    for (const [args, kind] of [
      [{ ...RELOAD, update: { b: {} } }, "update"],
      [{ ...RELOAD, destroy: ["b"] }, "destroy"],
    ] as const) {
      expect(await server.one("x:Action/set", args, who)).toEqual({
        name: "error",
        args: {
          type: "forbidden",
          description: `You are not authorized to ${kind} objects of this type`,
        },
      });
    }
    // Nothing ran: the reload of the refused call did not happen.
    expect((await server.one("x:Action/set", RELOAD, who)).args.created).toHaveProperty("r1");
  });

  test("without actionReloadSettings the reload is a forbidden SetError, and nothing reloads", async () => {
    const server = await testServer([
      { name: "editor", password: "pw-editor", permissions: [...READ, "sysActionCreate"] },
    ]);
    const id = await server.create({ name: "relay" });
    const { args } = await server.one("x:Action/set", RELOAD, basic("editor", "pw-editor"));
    expect(args).toEqual({
      accountId: "c",
      notCreated: {
        r1: {
          type: "forbidden",
          description: "Insufficient permissions to perform action of type ReloadSettings",
        },
      },
    });
    expect(server.store.running.strategies.has(id)).toBe(false);
  });

  test.each([
    ["a missing @type", {}],
    ["an unknown @type", { "@type": "ReloadEverything" }],
    ["a non-object", "ReloadSettings"],
  ])("%s is invalidPatch", async (_label, action) => {
    const server = await testServer();
    const { args } = await server.one("x:Action/set", { create: { r1: action } });
    expect(args).toEqual({
      accountId: "b",
      notCreated: {
        r1: {
          type: "invalidPatch",
          description: "Missing or invalid '@type' property in object",
          properties: [""],
        },
      },
    });
  });

  test("actions cannot be updated or destroyed; ids are read as ids", async () => {
    const server = await testServer();
    const { args } = await server.one("x:Action/set", {
      update: { bcd: { "@type": "ReloadSettings" }, aaxy: {}, "not an id!": {}, qq: {} },
      destroy: ["def", "!!", "QQ"],
    });
    expect(args).toEqual({
      accountId: "b",
      notUpdated: {
        bcd: { type: "forbidden", description: "Actions cannot be updated" },
        // Shortest form: "aaxy" is "xy".
        xy: { type: "forbidden", description: "Actions cannot be updated" },
        // In update and in destroy ("QQ" is "qq"): willDestroy, and the destroy is refused.
        qq: { type: "willDestroy", description: "ID will be destroyed." },
      },
      notDestroyed: {
        def: { type: "forbidden", description: "Actions cannot be destroyed" },
        qq: { type: "forbidden", description: "Actions cannot be destroyed" },
      },
    });
  });

  test("x:Action/get needs sysActionGet and knows no action, unparseable ids first", async () => {
    const server = await testServer([
      { name: "editor", password: "pw-editor", permissions: [...READ, "sysActionCreate"] },
    ]);
    expect(
      (await server.one("x:Action/get", { ids: ["b"] }, basic("editor", "pw-editor"))).args,
    ).toEqual({ type: "forbidden", description: "You are not authorized to perform this action" });
    expect((await server.one("x:Action/get", { ids: ["ab", "!", "c", "", "#r9"] })).args).toEqual({
      accountId: "b",
      list: [],
      notFound: ["!", "#r9", "b", "c", "a"],
    });
    expect((await server.one("x:Action/get", { ids: null })).args).toEqual({
      accountId: "b",
      list: [],
      notFound: [],
    });
  });

  test("x:Action/query is refused", async () => {
    const server = await testServer();
    expect((await server.one("x:Action/query", {})).args).toEqual({
      type: "invalidArguments",
      description: "Actions cannot be queried",
    });
  });
});

describe("test hooks", () => {
  async function hooked(testHooks: boolean) {
    const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
    return { store, app: createApp({ store, testHooks, publicUrl: ORIGIN }) };
  }

  test("a queued failure makes the next reload fail with that SetError, all or nothing", async () => {
    const { store, app } = await hooked(true);
    const failure = {
      type: "validationFailed",
      objectId: { object: "MtaRoute", id: "b" },
      validationErrors: [{ type: "Required", property: "address" }],
    };
    const queued = await app.request(`${ORIGIN}/__test/reload-failures`, {
      method: "POST",
      headers: { Authorization: ADMIN, "Content-Type": "application/json" },
      body: JSON.stringify({ failures: [failure] }),
    });
    expect(await queued.json()).toEqual({ queued: 1 });
    await store.transaction(({ strategies }) => strategies.clear());
    const post = (methodCalls: unknown[]) =>
      app.request(`${ORIGIN}/jmap/`, {
        method: "POST",
        headers: { Authorization: ADMIN, "Content-Type": "application/json" },
        body: JSON.stringify({ using: ["urn:ietf:params:jmap:core"], methodCalls }),
      });
    const first = await (await post([["x:Action/set", RELOAD, "a"]])).json();
    expect(first.methodResponses[0][1]).toEqual({ accountId: "b", notCreated: { r1: failure } });
    expect(store.running.strategies.size).toBe(2);
    const running = await app.request(`${ORIGIN}/__test/running`, {
      headers: { Authorization: ADMIN },
    });
    expect((await running.json()).strategies).toHaveLength(2);

    const second = await (await post([["x:Action/set", RELOAD, "a"]])).json();
    expect(second.methodResponses[0][1]).toMatchObject({ created: { r1: {} } });
    expect(store.running.strategies.size).toBe(0);
    const log = await app.request(`${ORIGIN}/__test/requests`, {
      headers: { Authorization: ADMIN },
    });
    expect((await log.json()).requests).toEqual([["x:Action/set"], ["x:Action/set"]]);
  });

  test("the hooks answer the administrator only, and refuse a body that is not JSON", async () => {
    const { store } = await openStore({
      dataDir: null,
      adminPassword: ADMIN_PASSWORD,
      users: [{ name: "reader", password: "reader-pw", permissions: ["sysMtaTlsStrategyGet"] }],
    });
    const app = createApp({ store, testHooks: true, publicUrl: ORIGIN });
    const running = await app.request(`${ORIGIN}/__test/running`, {
      headers: { Authorization: basic("reader", "reader-pw") },
    });
    expect(running.status).toBe(403);
    const garbled = await app.request(`${ORIGIN}/__test/reload-failures`, {
      method: "POST",
      headers: { Authorization: ADMIN, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(garbled.status).toBe(400);
  });

  test("without testHooks the routes do not exist", async () => {
    const { app } = await hooked(false);
    const response = await app.request(`${ORIGIN}/__test/reload-failures`, {
      method: "POST",
      headers: { Authorization: ADMIN, "Content-Type": "application/json" },
      body: JSON.stringify({ failures: [{ type: "serverFail" }] }),
    });
    expect(response.status).toBe(404);
  });
});
