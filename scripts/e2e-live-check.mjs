// `npm run test:e2e:live-check`: proves README "Testing a live server". Starts the built
// embedded server without its test hooks, fills it with someone else's strategies and outbound
// strategy, runs the end-to-end suite against it in live mode (E2E_BASE_URL) through a small
// proxy that records every JMAP call, then checks that everything not named e2e-… is exactly
// as before, that no e2e-… strategy is left, and that nothing reloaded the settings or wrote
// anything but e2e-… strategies. Exits non-zero otherwise. Extra arguments go to Playwright
// (`npm run test:e2e:live-check -- e2e/names.spec.ts`). Needs `npm run build` first.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { isDeepStrictEqual } from "node:util";

const SERVER_ENTRY = "dist/server/index.js";
const USING = ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"];
const isOurs = (name) => typeof name === "string" && name.startsWith("e2e-");

if (!existsSync(SERVER_ENTRY)) {
  console.error(`${SERVER_ENTRY} is missing: run "npm run build" first.`);
  process.exit(2);
}

// --- The "live" server, behind a proxy that records what reaches it ---

/** Every JMAP method call that reached the server, in order: [name, args]. */
const received = [];

async function listen(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server.address().port;
}

let upstreamPort = 0;
const proxy = createServer((incoming, outgoing) => {
  const chunks = [];
  incoming.on("data", (chunk) => chunks.push(chunk));
  incoming.on("end", () => {
    const body = Buffer.concat(chunks);
    if (incoming.method === "POST" && incoming.url?.startsWith("/jmap")) {
      try {
        for (const [name, args] of JSON.parse(body.toString()).methodCalls ?? [])
          received.push([name, args]);
      } catch {
        // Not JSON: the server refuses it, and it changes nothing.
      }
    }
    const forward = request(
      {
        host: "127.0.0.1",
        port: upstreamPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on("error", () => outgoing.destroy());
    forward.end(body);
  });
});
const proxyPort = await listen(proxy);
const origin = `http://127.0.0.1:${proxyPort}`;

const dataDir = await mkdtemp(join(tmpdir(), "tls-strategies-live-check-"));
const admin = { username: "admin", password: randomBytes(12).toString("base64url") };
const child = spawn(process.execPath, [SERVER_ENTRY], {
  env: {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    STALWART_ADMIN_PASSWORD: admin.password,
    EXIT_ON_STDIN_CLOSE: "1",
    // Reached through the proxy: the session's URLs name it, and its Host is answered.
    PUBLIC_URL: origin,
    // A live server has no test hooks: a story that needs them fails here.
    STALWART_TEST_HOOKS: "0",
  },
  stdio: ["pipe", "pipe", "inherit"],
});
upstreamPort = await new Promise((resolve, reject) => {
  createInterface({ input: child.stdout }).on("line", (line) => {
    const match = /Listening on http:\/\/[^\s/]+:(\d+)/.exec(line);
    if (match) resolve(Number(match[1]));
  });
  child.on("exit", (code) => reject(new Error(`The server exited (${code}).`)));
  setTimeout(() => reject(new Error("The server did not start.")), 15_000);
});

async function stopAll() {
  child.stdin.end();
  child.kill("SIGTERM");
  proxy.close();
  proxy.closeAllConnections();
  await rm(dataDir, { recursive: true, force: true });
}

// --- JMAP through the proxy, as any client ---

const authorization = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString("base64")}`;
const sessionResponse = await fetch(`${origin}/.well-known/jmap`, {
  headers: { Authorization: authorization },
});
const session = await sessionResponse.json();
const accountId = session.primaryAccounts["urn:stalwart:jmap"];
const { maxObjectsInGet, maxObjectsInSet } = session.capabilities["urn:ietf:params:jmap:core"];

/** Sends the calls in one request; returns each answer's arguments by call id. */
async function jmap(calls) {
  const response = await fetch(session.apiUrl, {
    method: "POST",
    headers: { Authorization: authorization, "Content-Type": "application/json" },
    body: JSON.stringify({
      using: USING,
      methodCalls: calls.map(([name, args, id]) => [name, { accountId, ...args }, id]),
    }),
  });
  if (!response.ok) throw new Error(`JMAP: HTTP ${response.status} ${await response.text()}`);
  const answers = {};
  for (const [name, args, id] of (await response.json()).methodResponses) {
    if (name === "error") throw new Error(`JMAP ${id}: ${JSON.stringify(args)}`);
    answers[id] = args;
  }
  return answers;
}

/** Every strategy with all its properties, by id; and the outbound strategy. */
async function snapshot() {
  const ids = [];
  for (;;) {
    const { q } = await jmap([
      ["x:MtaTlsStrategy/query", { position: ids.length, limit: maxObjectsInGet }, "q"],
    ]);
    ids.push(...q.ids);
    if (q.ids.length === 0 || ids.length >= (q.total ?? Number.POSITIVE_INFINITY)) break;
  }
  const strategies = new Map();
  for (let start = 0; start < ids.length; start += maxObjectsInGet) {
    const { g } = await jmap([
      ["x:MtaTlsStrategy/get", { ids: ids.slice(start, start + maxObjectsInGet) }, "g"],
    ]);
    for (const strategy of g.list) strategies.set(strategy.id, strategy);
  }
  const { o } = await jmap([["x:MtaOutboundStrategy/get", { ids: ["singleton"] }, "o"]]);
  return { strategies, outbound: o.list };
}

// --- Someone else's data ---

const THEIRS = [
  // Names that contain, start like or look like the ones the stories use.
  { name: "my-default-copy", description: "Copy of default" },
  { name: "default-eu", startTls: "require", description: "EU partners" },
  { name: "Default", description: "Capital D, someone's typo" },
  { name: "default.backup" },
  { name: "invalid-tls-old", allowInvalidCerts: true },
  { name: "invalid-tls-2", allowInvalidCerts: true, startTls: "require" },
  { name: "e2ex-not-mine" },
  { name: "e2e" },
  { name: "e2e.dot" },
  { name: "e2e_underscore" },
  { name: "E2E-SHOUTING" },
  { name: "not-e2e-mine" },
  { name: "locators-used", startTls: "require" },
  { name: "legacy-partners", allowInvalidCerts: true, tlsTimeout: 60_000 },
  { name: "absurd-timeouts", tlsTimeout: 86_400_000 },
  { name: "keys-row-00" },
  { name: "dev-relay", mtaSts: "require", startTls: "require" },
  { name: "eu relay", description: "A stored name with a space" },
  { name: "défaut", description: "Accented" },
  { name: "long-".padEnd(255, "n") },
  // More of theirs, with values that differ.
  ...Array.from({ length: 40 }, (_, i) => ({
    name: `customer-${String(i).padStart(2, "0")}`,
    description: i % 3 === 0 ? null : `Customer ${i}`,
    startTls: ["optional", "require", "disable"][i % 3],
    dane: i % 4 === 0 ? "require" : "optional",
    allowInvalidCerts: i % 5 === 0,
    tlsTimeout: 60_000 + i * 1_000,
  })),
  // A few hundred that sort before "default" and "e2e-…": neither is on the first page.
  ...Array.from({ length: 300 }, (_, i) => ({ name: `a-filler-${String(i).padStart(3, "0")}` })),
  ...Array.from({ length: 20 }, (_, i) => ({ name: `zz-after-${String(i).padStart(2, "0")}` })),
];

async function seedTheirs() {
  for (let start = 0; start < THEIRS.length; start += maxObjectsInSet) {
    const batch = THEIRS.slice(start, start + maxObjectsInSet);
    const create = Object.fromEntries(batch.map((strategy, i) => [`c${i}`, strategy]));
    const { s } = await jmap([["x:MtaTlsStrategy/set", { create }, "s"]]);
    if (s.notCreated) throw new Error(`Not seeded: ${JSON.stringify(s.notCreated)}`);
  }
  const { q } = await jmap([["x:MtaTlsStrategy/query", { filter: { name: "default" } }, "q"]]);
  const { u } = await jmap([
    [
      "x:MtaTlsStrategy/set",
      { update: { [q.ids[0]]: { description: "Changed by someone else", tlsTimeout: 120_000 } } },
      "u",
    ],
  ]);
  if (u.notUpdated) throw new Error(`default not updated: ${JSON.stringify(u.notUpdated)}`);
  const { o } = await jmap([
    [
      "x:MtaOutboundStrategy/set",
      {
        update: {
          singleton: {
            tls: {
              match: {
                0: { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" },
                1: { if: "rcpt_domain == 'example.eu'", then: "'default-eu'" },
              },
              else: "'default'",
            },
          },
        },
      },
      "o",
    ],
  ]);
  if (o.notUpdated) throw new Error(`Outbound strategy not set: ${JSON.stringify(o.notUpdated)}`);
}

// --- The run ---

const problems = [];
let playwrightCode = 1;
let summary = "";
const started = Date.now();
try {
  await seedTheirs();
  const before = await snapshot();
  console.log(
    `Live server at ${origin}: ${before.strategies.size} strategies of someone else, ` +
      "a changed default and outbound strategy. Running the suite in live mode…",
  );
  received.length = 0;

  const report = join(dataDir, "report.json");
  const run = spawn(
    "npx",
    ["playwright", "test", "--reporter=list,json", ...process.argv.slice(2)],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        E2E_BASE_URL: origin,
        E2E_USERNAME: admin.username,
        E2E_PASSWORD: admin.password,
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      },
    },
  );
  const runStarted = Date.now();
  playwrightCode = await new Promise((resolve) => run.on("exit", (code) => resolve(code ?? 1)));
  const seconds = Math.round((Date.now() - runStarted) / 1000);
  summary = await summarize(report, seconds);

  // Everything of someone else's exactly as before, nothing of ours left.
  const after = await snapshot();
  for (const [id, strategy] of before.strategies) {
    const now = after.strategies.get(id);
    if (!now) problems.push(`“${strategy.name}” (${id}) was deleted.`);
    else if (!isDeepStrictEqual(now, strategy))
      problems.push(`“${strategy.name}” (${id}) changed: ${JSON.stringify(now)}`);
  }
  for (const [id, strategy] of after.strategies) {
    if (before.strategies.has(id)) continue;
    problems.push(
      isOurs(strategy.name)
        ? `“${strategy.name}” (${id}) was left behind.`
        : `“${strategy.name}” (${id}) was created and left, not named e2e-….`,
    );
  }
  if (!isDeepStrictEqual(after.outbound, before.outbound))
    problems.push(`The outbound strategy changed: ${JSON.stringify(after.outbound)}`);

  // What reached the server: no reload, no other object written, only e2e-… strategies.
  const theirIds = new Set(before.strategies.keys());
  for (const [name, args] of received) {
    if (name.endsWith("/set") && name !== "x:MtaTlsStrategy/set") {
      problems.push(`${name} reached the server: ${JSON.stringify(args).slice(0, 300)}`);
      continue;
    }
    if (name !== "x:MtaTlsStrategy/set") continue;
    for (const strategy of Object.values(args.create ?? {}))
      if (!isOurs(strategy.name)) problems.push(`A strategy named “${strategy.name}” was created.`);
    for (const [id, patch] of Object.entries(args.update ?? {})) {
      if (theirIds.has(id)) problems.push(`Someone else's strategy ${id} was updated.`);
      if ("name" in patch && !isOurs(patch.name))
        problems.push(`${id} was renamed “${patch.name}”.`);
    }
    for (const id of args.destroy ?? [])
      if (theirIds.has(id)) problems.push(`Someone else's strategy ${id} was deleted.`);
    for (const key of Object.keys(args))
      if (key.startsWith("#")) problems.push(`A write by reference (${key}) cannot be checked.`);
  }
} catch (error) {
  problems.push(`The check itself failed: ${error instanceof Error ? error.stack : error}`);
} finally {
  await stopAll();
}

/** The stories that ran, by outcome, from Playwright's JSON report. */
async function summarize(path, seconds) {
  let report;
  try {
    report = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return `No report (Playwright exited with ${playwrightCode}).`;
  }
  const outcomes = new Map();
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const outcome = test.status === "skipped" ? "skipped" : test.status;
        outcomes.set(outcome, [...(outcomes.get(outcome) ?? []), `${spec.file} › ${spec.title}`]);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  const counts = [...outcomes].map(([outcome, titles]) => `${titles.length} ${outcome}`);
  const notExpected = [...outcomes]
    .filter(([outcome]) => outcome !== "expected")
    .flatMap(([outcome, titles]) => titles.map((title) => `  ${outcome}: ${title}`));
  return [`Live run: ${counts.join(", ")} in ${seconds} s.`, ...notExpected].join("\n");
}

console.log(`\n${summary}`);
if (problems.length > 0) {
  console.error(
    `\nThe live run did not leave the server as it found it:\n- ${problems.join("\n- ")}`,
  );
}
const total = Math.round((Date.now() - started) / 1000);
const ok = playwrightCode === 0 && problems.length === 0;
console.log(
  ok
    ? `Live check passed (${total} s): everything not named e2e-… is as it was, nothing of e2e-… is left, nothing was reloaded.`
    : `Live check failed (${total} s; Playwright exited with ${playwrightCode}).`,
);
process.exit(ok ? 0 : 1);
