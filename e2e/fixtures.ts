import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import * as z from "zod/mini";
import { JmapClient } from "../src/jmap/client";

export interface Account {
  username: string;
  password: string;
}

export interface UserDeclaration {
  name: string;
  password?: string;
  apiKeys?: string[];
  permissions: string[];
}

export interface TestServer {
  url: (path?: string) => string;
  admin: Account;
  /** Extra users declared for this server (embedded only). */
  users: Record<string, Account>;
  /**
   * What every strategy name of this file starts with: `e2e-<file>-<run>-`, where <run> is
   * new each time the file is loaded. Known from the file's first hook on, not at import.
   */
  readonly prefix: string;
  /** A strategy name of this file's own: `<prefix><label>-<random>`. */
  uniqueName(label: string): string;
}

/** Set when the suite runs against a running server (README, "Testing a live server"). */
const isLive = Boolean(process.env.E2E_BASE_URL);

const SERVER_ENTRY = "dist/server/index.js";

/**
 * Starts the built embedded server on a free port of 127.0.0.1, with a data directory of its
 * own; `env` adds or overrides variables (PUBLIC_URL, HOST, …). It stops with `stop()`, or
 * when this test process ends.
 */
export async function startEmbedded(users: UserDeclaration[], env: Record<string, string> = {}) {
  if (!existsSync(SERVER_ENTRY))
    throw new Error(`${SERVER_ENTRY} is missing: run "npm run build" first.`);
  const dataDir = await mkdtemp(join(tmpdir(), "tls-strategies-e2e-"));
  if (users.length > 0) await writeFile(join(dataDir, "users.json"), JSON.stringify({ users }));
  const admin = { username: "admin", password: randomBytes(12).toString("base64url") };
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      STALWART_ADMIN_PASSWORD: admin.password,
      // The server exits when this test process goes away, even if it is killed.
      EXIT_ON_STDIN_CLOSE: "1",
      // /__test/… routes: make reloads fail, read the running copy, count requests.
      STALWART_TEST_HOOKS: "1",
      ...env,
    },
  });
  const output: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const origin = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      output.push(line);
      const match = /Listening on (http:\/\/[^\s/]+)/.exec(line);
      // Listening on every interface: reach it on loopback.
      if (match?.[1]) resolve(match[1].replace("0.0.0.0", "127.0.0.1"));
    });
    child.on("exit", (code) =>
      reject(new Error(`The server exited (${code}):\n${output.join("\n")}`)),
    );
    setTimeout(() => reject(new Error(`The server did not start:\n${output.join("\n")}`)), 15_000);
  });
  const stop = async () => {
    child.stdin.end();
    child.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  };
  return { origin, admin, stop };
}

/**
 * A server for the tests of one file: a fresh embedded server on a free port, or the
 * live server named by E2E_BASE_URL.
 *
 * Against a live server a file touches only strategies named with its own prefix
 * (`server.prefix`, `server.uniqueName(…)`), and its last hook deletes every one of them, in
 * batches of the session's maxObjectsInSet: files running beside each other never delete
 * each other's strategies, and nothing else on the server changes. `label` replaces the
 * file's name in the prefix.
 */
export function serverForThisFile(
  options: { users?: UserDeclaration[]; label?: string } = {},
): TestServer {
  let origin = "";
  let prefix = "";
  let stop: (() => Promise<void>) | undefined;
  // Digits only: every character of a prefix can then be written in another alphabet too.
  const run = String(randomInt(1_000_000)).padStart(6, "0");
  const server: TestServer = {
    url: (path = "/") => new URL(path, origin).toString(),
    admin: { username: "", password: "" },
    users: Object.fromEntries(
      (options.users ?? []).map((user) => [
        user.name,
        { username: user.name, password: user.password ?? "" },
      ]),
    ),
    get prefix() {
      if (!prefix) throw new Error("server.prefix is known once the file's first hook has run.");
      return prefix;
    },
    uniqueName: (label) => `${server.prefix}${label}-${randomBytes(3).toString("hex")}`,
  };
  test.beforeAll(async () => {
    const file = options.label ?? basename(test.info().file).replace(/\.spec\.ts$/, "");
    prefix = `e2e-${file}-${run}-`;
    if (isLive) {
      origin = process.env.E2E_BASE_URL ?? "";
      server.admin = {
        username: process.env.E2E_USERNAME ?? "admin",
        password: process.env.E2E_PASSWORD ?? "",
      };
      return;
    }
    const started = await startEmbedded(options.users ?? []);
    origin = started.origin;
    server.admin = started.admin;
    stop = started.stop;
  });
  test.afterAll(async () => {
    if (isLive && prefix) await removeStrategiesNamed(server, prefix);
    await stop?.();
  });
  return server;
}

/**
 * Deletes every strategy whose name starts with `prefix` (which ends with "-"), in batches of
 * the session's maxObjectsInSet; fails when one of them cannot be deleted.
 */
async function removeStrategiesNamed(server: TestServer, prefix: string) {
  const client = apiClient(server);
  const { maxObjectsInSet } = await client.session();
  // A prefix search by name range (shared wire reference §6): "." follows "-" in byte order.
  const filter = { nameIsGreaterThanOrEqual: prefix, nameIsLessThan: `${prefix.slice(0, -1)}.` };
  for (;;) {
    const found = await client.call([
      {
        id: "q",
        name: "x:MtaTlsStrategy/query",
        args: { filter, position: 0, limit: maxObjectsInSet },
      },
    ]);
    const { ids } = found.get("q", z.looseObject({ ids: z.array(z.string()) }));
    if (ids.length === 0) return;
    const removed = await client.call([
      { id: "d", name: "x:MtaTlsStrategy/set", args: { destroy: ids } },
    ]);
    const result = removed.get("d", setResult);
    // Deleted by a story at the same moment is gone all the same; anything else is left over.
    const failures = Object.entries(result.notDestroyed ?? {}).filter(
      ([, error]) => (error as { type?: string }).type !== "notFound",
    );
    const isStuck = (result.destroyed ?? []).length === 0 && !result.notDestroyed;
    if (failures.length > 0 || isStuck)
      throw new Error(`Strategies named ${prefix}… were left: ${JSON.stringify(failures)}`);
  }
}

const setResult = z.looseObject({
  created: z.optional(z.nullable(z.record(z.string(), z.looseObject({ id: z.string() })))),
  notCreated: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  destroyed: z.optional(z.nullable(z.array(z.string()))),
  notDestroyed: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

/** A JMAP client signed in as `account`, for setting the scene through the API. */
export function apiClient(server: TestServer, account: Account = server.admin): JmapClient {
  return new JmapClient(
    { kind: "basic", username: account.username, password: account.password },
    { discoveryUrl: server.url("/.well-known/jmap") },
  );
}

/**
 * Creates strategies through the API, in batches of the session's maxObjectsInSet; returns
 * their ids by name. Fails when one is not created.
 */
export async function seedStrategies(
  server: TestServer,
  names: string[],
): Promise<Record<string, string>> {
  const client = apiClient(server);
  const { maxObjectsInSet } = await client.session();
  const ids: Record<string, string> = {};
  for (let start = 0; start < names.length; start += maxObjectsInSet) {
    const batch = names.slice(start, start + maxObjectsInSet);
    const create = Object.fromEntries(batch.map((name, index) => [`n${index}`, { name }]));
    const responses = await client.call([
      { id: "s", name: "x:MtaTlsStrategy/set", args: { create } },
    ]);
    const result = responses.get("s", setResult);
    batch.forEach((name, index) => {
      const id = result.created?.[`n${index}`]?.id;
      if (!id) throw new Error(`“${name}” was not created: ${JSON.stringify(result.notCreated)}`);
      ids[name] = id;
    });
  }
  return ids;
}

// --- Test hooks of the embedded server (STALWART_TEST_HOOKS=1; stories tagged @embedded) ---

async function testHook(server: TestServer, path: string, init: RequestInit = {}) {
  const { username, password } = server.admin;
  const response = await fetch(server.url(`/__test/${path}`), {
    ...init,
    headers: {
      Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`,
      "Content-Type": "application/json",
    },
  });
  if (!response.ok) throw new Error(`/__test/${path}: HTTP ${response.status}`);
  return response.json() as Promise<unknown>;
}

/** The strategies delivery runs with: the running copy, replaced only by a settings reload. */
export async function runningStrategies(server: TestServer) {
  const running = (await testHook(server, "running")) as {
    strategies: z.infer<typeof strategyOnServer>[];
  };
  return running.strategies;
}

/** Makes the next settings reloads fail, one SetError each, in order. */
export async function failNextReloads(server: TestServer, failures: Record<string, unknown>[]) {
  await testHook(server, "reload-failures", {
    method: "POST",
    body: JSON.stringify({ failures }),
  });
}

/** The method names of every JMAP request the server received, in order. */
export async function requestsAtServer(server: TestServer): Promise<string[][]> {
  return ((await testHook(server, "requests")) as { requests: string[][] }).requests;
}

/** Creates one strategy through the API with the given values; returns its id. */
export async function createThroughApi(
  server: TestServer,
  strategy: Record<string, unknown> & { name: string },
): Promise<string> {
  const responses = await apiClient(server).call([
    { id: "s", name: "x:MtaTlsStrategy/set", args: { create: { n: strategy } } },
  ]);
  const result = responses.get(
    "s",
    z.looseObject({ created: z.record(z.string(), z.looseObject({ id: z.string() })) }),
  );
  const id = result.created.n?.id;
  if (!id) throw new Error(`Not created: ${JSON.stringify(result)}`);
  return id;
}

/** Changes strategies through the API, as another admin or tool would. */
export async function updateThroughApi(
  server: TestServer,
  update: Record<string, Record<string, unknown>>,
): Promise<void> {
  await apiClient(server).call([{ id: "s", name: "x:MtaTlsStrategy/set", args: { update } }]);
}

/** Deletes strategies through the API, as another admin or tool would. */
export async function destroyThroughApi(server: TestServer, ids: string[]): Promise<void> {
  await apiClient(server).call([{ id: "s", name: "x:MtaTlsStrategy/set", args: { destroy: ids } }]);
}

const strategyOnServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  allowInvalidCerts: z.boolean(),
  dane: z.string(),
  mtaSts: z.string(),
  startTls: z.string(),
  mtaStsTimeout: z.number(),
  tlsTimeout: z.number(),
});

/** A strategy as the server holds it now, or null. */
export async function readThroughApi(server: TestServer, id: string) {
  const responses = await apiClient(server).call([
    { id: "g", name: "x:MtaTlsStrategy/get", args: { ids: [id] } },
  ]);
  return responses.get("g", z.looseObject({ list: z.array(strategyOnServer) })).list[0] ?? null;
}

/**
 * Makes the page's cached data older than its 30 s freshness and brings the tab back to the
 * front, so TanStack Query refetches in the background as it does for a returning admin.
 * Needs `page.clock.install()` before the page loads.
 */
export async function refetchInBackground(page: Page) {
  await page.clock.fastForward(31_000);
  await page.evaluate(() => window.dispatchEvent(new Event("visibilitychange")));
}

/**
 * Makes the page read an outbound strategy whose `tls` rule names `names` (the first when no
 * condition holds, the others under conditions) in place of the stored rule, the rest of the
 * server's answer as it is: strategies that delivery uses, as far as the page knows, with
 * nothing changed on the server.
 */
export async function deliveryUses(page: Page, ...names: [string, ...string[]]) {
  const [otherwise, ...conditional] = names;
  const tls = {
    match: Object.fromEntries(
      conditional.map((name, index) => [
        String(index),
        { if: `retry_num > ${index}`, then: `'${name}'` },
      ]),
    ),
    else: `'${otherwise}'`,
  };
  await page.route("**/jmap/", async (route) => {
    if (!route.request().postData()?.includes('"x:MtaOutboundStrategy/get"'))
      return route.fallback();
    const response = await route.fetch();
    const body = (await response.json()) as { methodResponses: [string, unknown, string][] };
    for (const [method, args] of body.methodResponses) {
      const list = (args as { list?: Record<string, unknown>[] }).list;
      if (method === "x:MtaOutboundStrategy/get" && list?.[0]) list[0].tls = tls;
    }
    await route.fulfill({ response, json: body });
  });
}

/** The `update` maps of every /set the page sends, as the server receives them. */
export function recordUpdates(page: Page): Record<string, unknown>[] {
  const updates: Record<string, unknown>[] = [];
  page.on("request", (request) => {
    if (request.method() !== "POST" || !request.url().includes("/jmap")) return;
    const body = request.postDataJSON() as { methodCalls?: [string, Record<string, unknown>][] };
    for (const [name, args] of body.methodCalls ?? []) {
      if (name === "x:MtaTlsStrategy/set" && args.update)
        updates.push(args.update as Record<string, unknown>);
    }
  });
  return updates;
}

export const LIST_PATH = "/settings/mta/outbound/tls-strategies";

/**
 * The list searched for names starting with `text`: how a story finds its own strategies
 * among any number of others (a live server's may fill many pages before them).
 */
export const searchPath = (text: string) => `${LIST_PATH}?q=${encodeURIComponent(text)}`;

/** The list row of the strategy named `name`; its actions are found inside it by role. */
export const rowOf = (page: Page, name: string) =>
  page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

export async function signIn(
  page: Page,
  server: TestServer,
  account: Account = server.admin,
  path = LIST_PATH,
) {
  await page.goto(server.url(path));
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  await page.getByLabel("Username", { exact: true }).fill(account.username);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Each view has its own level-1 heading; the list's is "TLS Strategies".
  if (new URL(path, "http://localhost").pathname === LIST_PATH)
    await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  else await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/**
 * A JMAP body that reads every stored name (for the look-alike marks): the page sends it in
 * the background a moment after a list shows and after each change, whatever the story does.
 */
export const isStoredNamesRead = (body: string) => body.includes('"properties":["id","name"]');

/** Counts the JMAP requests the page sends, and those that would change something (/set). */
export function countApiRequests(page: Page): { readonly count: number; readonly changes: number } {
  const counter = { count: 0, changes: 0 };
  page.on("request", (request) => {
    if (request.method() !== "POST" || !new URL(request.url()).pathname.startsWith("/jmap")) return;
    counter.count += 1;
    if ((request.postData() ?? "").includes("/set")) counter.changes += 1;
  });
  return counter;
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`,
    ),
  ).toEqual([]);
}

/** Creates a strategy through the form, from the list page. */
export async function createStrategy(
  page: Page,
  values: { name: string; description?: string; tlsTimeout?: string; mtaStsTimeout?: string },
) {
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name").fill(values.name);
  if (values.description !== undefined)
    await page.getByLabel("Description", { exact: true }).fill(values.description);
  if (values.tlsTimeout !== undefined)
    await page.getByLabel("TLS handshake timeout", { exact: true }).fill(values.tlsTimeout);
  if (values.mtaStsTimeout !== undefined)
    await page.getByLabel("MTA-STS lookup timeout", { exact: true }).fill(values.mtaStsTimeout);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `Created “${values.name}”.` }),
  ).toBeVisible();
}

export { expect, test };
