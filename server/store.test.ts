import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createApp } from "./app";
import { verifySecret } from "./auth";
import { compareIds } from "./ids";
import { DEFAULT_OUTBOUND_STRATEGY } from "./objects/outbound-strategy";
import { openStore } from "./store";
import { basic, ORIGIN, USING } from "./test-support";

const temporaryDir = () => mkdtemp(join(tmpdir(), "tls-store-"));

async function call(
  app: ReturnType<typeof createApp>,
  authorization: string,
  methodCalls: unknown[],
) {
  const response = await app.request(`${ORIGIN}/jmap/`, {
    method: "POST",
    headers: { Authorization: authorization, "Content-Type": "application/json" },
    body: JSON.stringify({ using: USING, methodCalls }),
  });
  return (await response.json()).methodResponses;
}

describe("durable storage", () => {
  test("an acknowledged create is on disk: a reopened store sees it", async () => {
    const dataDir = await temporaryDir();
    const first = await openStore({ dataDir, adminPassword: "pw" });
    const [[, created]] = await call(
      createApp({ store: first.store, publicUrl: ORIGIN }),
      basic("admin", "pw"),
      [["x:MtaTlsStrategy/set", { create: { a: { name: "relay", tlsTimeout: 90000 } } }, "c"]],
    );
    const id = created.created.a.id;

    const reopened = await openStore({ dataDir, adminPassword: "pw" });
    expect(reopened.store.strategies.get(id)).toMatchObject({ name: "relay", tlsTimeout: 90000 });
    expect([...reopened.store.strategies.values()].map((s) => s.name)).toEqual([
      "invalid-tls",
      "default",
      "relay",
    ]);
    // Ids keep growing after a restart.
    const next = await call(
      createApp({ store: reopened.store, publicUrl: ORIGIN }),
      basic("admin", "pw"),
      [["x:MtaTlsStrategy/set", { create: { b: { name: "later" } } }, "c"]],
    );
    expect(compareIds(next[0][1].created.b.id, id)).toBe(1);
    // No temporary file is left behind.
    expect((await readdir(dataDir)).sort()).toEqual(["store.json"]);
  });

  test("a generated admin password is returned once, stored only as a scrypt hash", async () => {
    const dataDir = await temporaryDir();
    const { generatedAdminPassword } = await openStore({ dataDir });
    expect(generatedAdminPassword).toMatch(/^[\w-]{16,}$/);
    const onDisk = await readFile(join(dataDir, "store.json"), "utf8");
    expect(onDisk).not.toContain(generatedAdminPassword as string);
    const { adminPasswordHash } = JSON.parse(onDisk);
    expect(await verifySecret(generatedAdminPassword as string, adminPasswordHash)).toBe(true);
    const again = await openStore({ dataDir });
    expect(again.generatedAdminPassword).toBeNull();
    expect(
      await again.store.authenticator.authenticate(
        basic("admin", generatedAdminPassword as string),
      ),
    ).not.toBeNull();
  });

  test("STALWART_ADMIN_PASSWORD replaces the stored one", async () => {
    const dataDir = await temporaryDir();
    await openStore({ dataDir, adminPassword: "old" });
    const { store } = await openStore({ dataDir, adminPassword: "new" });
    expect(await store.authenticator.authenticate(basic("admin", "new"))).not.toBeNull();
    expect(await store.authenticator.authenticate(basic("admin", "old"))).toBeNull();
  });

  test("the data directory is created private, and a crash's temporary files are removed", async () => {
    const parent = await temporaryDir();
    const dataDir = join(parent, "data");
    await openStore({ dataDir, adminPassword: "pw" });
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    await writeFile(join(dataDir, "store.json.4242.deadbeef.tmp"), "half a write");
    await writeFile(join(dataDir, "users.json.4242.0badf00d.tmp"), "half a write");
    await writeFile(join(dataDir, "notes.txt"), "mine");
    await openStore({ dataDir, adminPassword: "pw" });
    expect((await readdir(dataDir)).sort()).toEqual(["notes.txt", "store.json"]);
  });

  test("a store whose strategies were all deleted holds the two shipped ones at the next start", async () => {
    const dataDir = await temporaryDir();
    const first = await openStore({ dataDir, adminPassword: "pw" });
    await first.store.transaction(({ strategies }) => strategies.clear());
    expect((await openStore({ dataDir, adminPassword: "pw" })).store.strategies.size).toBe(0 + 2);
    const names = [
      ...(await openStore({ dataDir, adminPassword: "pw" })).store.strategies.values(),
    ].map((s) => s.name);
    expect(names).toEqual(["invalid-tls", "default"]);
  });

  test("a create whose write fails is not in createdIds, and leaves no temporary file", async () => {
    const dataDir = await temporaryDir();
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    const app = createApp({ store, publicUrl: ORIGIN });
    await call(app, basic("admin", "pw"), []);
    // store.json turned into a directory: the rename at the end of the write fails (even
    // for root, who ignores permissions).
    await rm(join(dataDir, "store.json"));
    await mkdir(join(dataDir, "store.json"));
    const quiet = console.error;
    console.error = () => undefined;
    try {
      const response = await app.request(`${ORIGIN}/jmap/`, {
        method: "POST",
        headers: { Authorization: basic("admin", "pw"), "Content-Type": "application/json" },
        body: JSON.stringify({
          using: USING,
          createdIds: {},
          methodCalls: [["x:MtaTlsStrategy/set", { create: { k: { name: "lost" } } }, "c"]],
        }),
      });
      const answer = await response.json();
      expect(answer.methodResponses[0][0]).toBe("error");
      expect(answer).not.toHaveProperty("createdIds");
    } finally {
      console.error = quiet;
      await rm(join(dataDir, "store.json"), { recursive: true });
    }
    expect(await readdir(dataDir)).toEqual([]);
    expect([...store.strategies.values()].map((s) => s.name)).not.toContain("lost");
  });

  test("an API key with a $ in it survives being hashed into users.json and a restart", async () => {
    const dataDir = await temporaryDir();
    await writeFile(
      join(dataDir, "users.json"),
      JSON.stringify({ users: [{ name: "robot", apiKeys: ["a$b$cdef-0123456789"] }] }),
    );
    await openStore({ dataDir, adminPassword: "pw" });
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    expect((await store.authenticator.authenticate("Bearer a$b$cdef-0123456789"))?.name).toBe(
      "robot",
    );
  });

  test("a corrupted data file stops the start and is left untouched", async () => {
    const dataDir = await temporaryDir();
    await writeFile(join(dataDir, "store.json"), "{ half a write");
    await expect(openStore({ dataDir, adminPassword: "pw" })).rejects.toThrow(
      /store\.json is not valid JSON/,
    );
    expect(await readFile(join(dataDir, "store.json"), "utf8")).toBe("{ half a write");
  });

  test("a failed write is not acknowledged and changes nothing", async () => {
    const dataDir = await temporaryDir();
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    // The data directory disappears under the server: the write must fail loudly.
    await rm(dataDir, { recursive: true });
    await expect(store.transaction(({ strategies }) => strategies.clear())).rejects.toThrow();
    expect(store.strategies.size).toBe(2);
  });

  test("concurrent changes are written one at a time and none is lost", async () => {
    const dataDir = await temporaryDir();
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    const app = createApp({ store, publicUrl: ORIGIN });
    // Signed in once first: the writes, not the password checks, are what is raced here.
    await call(app, basic("admin", "pw"), []);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(app, basic("admin", "pw"), [
          ["x:MtaTlsStrategy/set", { create: { a: { name: `n${i}` } } }, "c"],
        ]),
      ),
    );
    const reopened = await openStore({ dataDir, adminPassword: "pw" });
    expect(reopened.store.strategies.size).toBe(22);
  });
});

describe("users.json", () => {
  test("clear-text passwords and API keys are replaced by hashes on start, and still work", async () => {
    const dataDir = await temporaryDir();
    await writeFile(
      join(dataDir, "users.json"),
      JSON.stringify({
        users: [
          {
            name: "auditor",
            password: "auditor-pw",
            apiKeys: ["auditor-api-key-0001"],
            permissions: ["sysMtaTlsStrategyGet"],
          },
          { name: "admin", apiKeys: ["admin-api-key-0001"] },
        ],
      }),
    );
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    const onDisk = await readFile(join(dataDir, "users.json"), "utf8");
    expect(onDisk).not.toContain("auditor-pw");
    expect(onDisk).not.toContain("auditor-api-key-0001");
    expect(JSON.parse(onDisk).users[0]).toMatchObject({
      name: "auditor",
      passwordHash: expect.stringMatching(/^scrypt\$/),
      // API keys are long and random: a keyed fast hash, found by the key's first characters.
      apiKeyHashes: [expect.stringMatching(/^hmac-sha256\$[A-Za-z0-9_-]+\$[A-Za-z0-9+/]+=*$/)],
    });
    const auditor = await store.authenticator.authenticate(basic("auditor", "auditor-pw"));
    expect([...(auditor?.permissions ?? [])]).toEqual(["sysMtaTlsStrategyGet"]);
    expect((await store.authenticator.authenticate("Bearer auditor-api-key-0001"))?.name).toBe(
      "auditor",
    );
    expect((await store.authenticator.authenticate("Bearer admin-api-key-0001"))?.name).toBe(
      "admin",
    );

    const again = await openStore({ dataDir, adminPassword: "pw" });
    expect(
      (await again.store.authenticator.authenticate(basic("auditor", "auditor-pw")))?.name,
    ).toBe("auditor");
  });

  test.each([
    [{ users: [{ name: "x", permissions: "some" }] }, /users\.json is not valid/],
    [{ users: [{ name: "x", colour: "red" }] }, /users\.json is not valid/],
    [{ users: [{ name: "x" }, { name: "x" }] }, /declares the user “x” twice/],
  ])(
    "an invalid users.json stops the start with a message naming the problem",
    async (content, message) => {
      const dataDir = await temporaryDir();
      await writeFile(join(dataDir, "users.json"), JSON.stringify(content));
      await expect(openStore({ dataDir, adminPassword: "pw" })).rejects.toThrow(message);
    },
  );
});

describe("what older stores hold", () => {
  async function storeFile(dataDir: string) {
    return JSON.parse(await readFile(join(dataDir, "store.json"), "utf8"));
  }

  async function rewrite(dataDir: string, change: (file: Record<string, unknown>) => void) {
    const file = await storeFile(dataDir);
    change(file);
    await writeFile(join(dataDir, "store.json"), JSON.stringify(file));
  }

  test("the two-argument is_local_domain defaults of route and schedule become v0.16's", async () => {
    const dataDir = await temporaryDir();
    await openStore({ dataDir, adminPassword: "pw" });
    await rewrite(dataDir, (file) => {
      const outbound = file.outbound as Record<string, { match: Record<string, { if: string }> }>;
      for (const property of ["route", "schedule"]) {
        const first = outbound[property]?.match["0"];
        if (first) first.if = "is_local_domain('*', rcpt_domain)";
      }
    });
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    expect(store.outbound).toEqual(DEFAULT_OUTBOUND_STRATEGY);
    expect(store.running.outbound).toEqual(DEFAULT_OUTBOUND_STRATEGY);
    expect((await storeFile(dataDir)).outbound).toEqual(DEFAULT_OUTBOUND_STRATEGY);
  });

  test("an expression that no longer compiles is kept, blocks /set, and runs as its default", async () => {
    const dataDir = await temporaryDir();
    await openStore({ dataDir, adminPassword: "pw" });
    const broken = {
      match: { "0": { if: "rcpt_domain == example.com", then: "'x'" } },
      else: "'d'",
    };
    await rewrite(dataDir, (file) => {
      (file.outbound as Record<string, unknown>).tls = broken;
    });
    const quiet = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    let store: Awaited<ReturnType<typeof openStore>>["store"];
    try {
      ({ store } = await openStore({ dataDir, adminPassword: "pw" }));
    } finally {
      console.warn = quiet;
    }
    expect(warnings).toHaveLength(1);
    expect(store.outbound.tls).toEqual(broken);
    expect(store.running.outbound.tls).toEqual(DEFAULT_OUTBOUND_STRATEGY.tls);
    const [[, answer]] = await call(createApp({ store, publicUrl: ORIGIN }), basic("admin", "pw"), [
      ["x:MtaOutboundStrategy/set", { update: { singleton: { route: { else: "'mx'" } } } }, "c"],
    ]);
    expect(answer.notUpdated.singleton).toMatchObject({
      type: "validationFailed",
      properties: ["tls"],
    });
    store.reload();
    expect(store.running.outbound.tls).toEqual(DEFAULT_OUTBOUND_STRATEGY.tls);
  });

  test("a stored id is kept in its shortest form; two ids for one number stop the start", async () => {
    const dataDir = await temporaryDir();
    const { store: first } = await openStore({ dataDir, adminPassword: "pw" });
    const [id] = [...first.strategies.keys()];
    await rewrite(dataDir, (file) => {
      const [strategy] = file.strategies as { id: string }[];
      if (strategy) strategy.id = `aa${id}`;
    });
    const { store } = await openStore({ dataDir, adminPassword: "pw" });
    expect([...store.strategies.keys()][0]).toBe(id);
    expect(store.strategies.get(id as string)?.id).toBe(id);
    expect((await storeFile(dataDir)).strategies[0].id).toBe(id);

    await rewrite(dataDir, (file) => {
      const strategies = file.strategies as { id: string }[];
      const [a, b] = strategies;
      if (a && b) b.id = `a${a.id}`;
    });
    await expect(openStore({ dataDir, adminPassword: "pw" })).rejects.toThrow(/twice/);
    await rewrite(dataDir, (file) => {
      const [strategy] = file.strategies as { id: string }[];
      if (strategy) strategy.id = "not an id";
    });
    await expect(openStore({ dataDir, adminPassword: "pw" })).rejects.toThrow(/not an id/);
  });
});
