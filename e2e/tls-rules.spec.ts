import type { Page } from "@playwright/test";
import * as z from "zod/mini";
import { RULES_PATH } from "../src/paths";
import { DEFAULT_RULES, type Rules, setRules } from "./fixtures/api";
import {
  checkAndPhotograph,
  countApiRequests,
  expect,
  expectNoAxeViolations,
  LIST_PATH,
  signIn,
  test,
} from "./fixtures/page";
import { apiClient, serverForThisFile } from "./fixtures/server";

// README, "TLS rules": the outbound strategy's `tls` expression as an ordered table of rules,
// checked in the browser before anything is sent, saved whole and read back, and tried.

const server = serverForThisFile({
  users: [
    {
      name: "reader",
      password: "reader-password-1",
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery", "sysMtaOutboundStrategyGet"],
    },
  ],
});

/** The `tls` expression as stored now, rules in key order. */
async function storedRules(): Promise<Rules> {
  const responses = await apiClient(server).call([
    {
      id: "g",
      name: "x:MtaOutboundStrategy/get",
      args: { ids: ["singleton"], properties: ["tls"] },
    },
  ]);
  const rule = z.object({ if: z.string(), then: z.string() });
  const { list } = responses.get(
    "g",
    z.looseObject({
      list: z.array(
        z.looseObject({
          tls: z.object({ match: z.record(z.string(), rule), else: z.string() }),
        }),
      ),
    }),
  );
  const tls = list[0]?.tls;
  if (!tls) throw new Error("No outbound strategy.");
  const rules = Object.entries(tls.match)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, value]) => value);
  return { rules, else: tls.else };
}

/** The `tls` expression delivery runs with: the running copy, replaced only by a reload. */
async function runningTls(): Promise<unknown> {
  const { username, password } = server.admin;
  const response = await fetch(server.url("/__test/running"), {
    headers: {
      Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`,
    },
  });
  return ((await response.json()) as { outbound: { tls: unknown } }).outbound.tls;
}

const rulesTable = (page: Page) => page.getByRole("table", { name: "Rules" });
/** The row of rule `n` (from 1): the header row comes first. */
const ruleRow = (page: Page, n: number) => rulesTable(page).getByRole("row").nth(n);

async function openRules(page: Page) {
  await signIn(page, server);
  await page.getByRole("link", { name: "Which strategy applies where" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "TLS rules" })).toBeVisible();
  await expect(rulesTable(page)).toBeVisible();
}

// Each story signs in, edits a table of controls and runs axe: on a shared two-core machine
// that takes longer than the default 30 s.
test.describe.configure({ timeout: 60_000 });

test.beforeEach(async () => {
  await setRules(server, DEFAULT_RULES);
});

test("an exception for a domain is added before the rules it would lose to, saved and applied", {
  tag: "@embedded",
}, async ({ page }) => {
  await openRules(page);
  await expect(page.getByLabel("Otherwise", { exact: true })).toHaveValue("default");
  await page.getByRole("button", { name: "Add an exception" }).click();
  const dialog = page.getByRole("dialog", { name: "Add an exception" });
  await dialog.getByLabel("Recipient domain").fill("Partner.Example");
  await dialog.getByLabel("Strategy").selectOption("invalid-tls");
  await dialog.getByRole("button", { name: "Add" }).click();
  // Capitals never match: the lower-case form is offered, not taken silently.
  await expect(dialog).toContainText("'Partner.Example' never matches");
  await dialog.getByRole("button", { name: "Use partner.example" }).click();
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog).toBeHidden();

  // Before the TLS fallback, which would otherwise take partner's retries.
  await expect(ruleRow(page, 1).getByLabel("Domain", { exact: true })).toHaveValue(
    "partner.example",
  );
  await expect(ruleRow(page, 2).getByLabel("When")).toHaveValue("failure");
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Save and apply" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved and applied" })).toBeVisible();
  expect(await storedRules()).toEqual({
    rules: [
      { if: "rcpt_domain == 'partner.example'", then: "'invalid-tls'" },
      DEFAULT_RULES.rules[0],
    ],
    else: "'default'",
  });
  // Applied: delivery runs with it, and nothing is left pending.
  expect(await runningTls()).toEqual({
    match: {
      "0": { if: "rcpt_domain == 'partner.example'", then: "'invalid-tls'" },
      "1": DEFAULT_RULES.rules[0],
    },
    else: "'default'",
  });
  await expect(page.getByRole("region", { name: "Saved, not applied yet" })).toHaveCount(0);
});

test("rules reorder by button and keyboard; a save is read back and pending until applied", {
  tag: "@embedded",
}, async ({ page }) => {
  await setRules(server, {
    rules: [
      { if: "rcpt_domain == 'a.example'", then: "'default'" },
      { if: "rcpt_domain == 'b.example'", then: "'invalid-tls'" },
    ],
    else: "'default'",
  });
  await openRules(page);
  await ruleRow(page, 2).getByRole("button", { name: "Move up" }).click();
  await expect(ruleRow(page, 1).getByLabel("Domain", { exact: true })).toHaveValue("b.example");
  // Focus stays with the moved rule: at the top, on its Move down.
  await expect(ruleRow(page, 1).getByRole("button", { name: "Move down" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(ruleRow(page, 2).getByLabel("Domain", { exact: true })).toHaveValue("b.example");
  // At the bottom its Move down is disabled: focus is on its Move up.
  await expect(ruleRow(page, 2).getByRole("button", { name: "Move up" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(ruleRow(page, 1).getByLabel("Domain", { exact: true })).toHaveValue("b.example");

  // Leaving with unsaved rules asks first.
  await page.getByRole("link", { name: "Back to TLS Strategies" }).click();
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });
  await leave.getByRole("button", { name: "Stay" }).click();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Saved: read back as shown" }),
  ).toBeVisible();
  expect((await storedRules()).rules.map((rule) => rule.if)).toEqual([
    "rcpt_domain == 'b.example'",
    "rcpt_domain == 'a.example'",
  ]);
  const pending = page.getByRole("region", { name: "Saved, not applied yet" });
  await expect(pending.getByRole("listitem")).toHaveText(["TLS rules changed"]);
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
});

test("a text row is kept verbatim; an unknown name and an unreachable rule are flagged on their rows", {
  tag: "@embedded",
}, async ({ page }) => {
  const text = { if: "retry_num>0 && last_error=='dane'", then: "'invalid-tls'" };
  await setRules(server, {
    rules: [
      text,
      { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" },
      { if: "retry_num > 1 && last_error == 'tls'", then: "'invalid-tls'" },
      { if: "rcpt_domain == 'x.example'", then: "'no-such-strategy'" },
    ],
    else: "'default'",
  });
  await openRules(page);
  await expect(ruleRow(page, 1).getByLabel("Condition")).toHaveValue(text.if);
  await expect(ruleRow(page, 1).getByLabel("Value")).toHaveValue(text.then);
  await expect(ruleRow(page, 3)).toContainText(
    "Rule 3 can never apply: rule 2 comes first and already catches all the mail it would.",
  );
  await expect(ruleRow(page, 4)).toContainText('No TLS strategy is named "no-such-strategy"');
  await expect(ruleRow(page, 4).getByRole("link", { name: "create it" })).toHaveAttribute(
    "href",
    `${LIST_PATH}/new`,
  );
  await expectNoAxeViolations(page);

  await page.getByLabel("Otherwise", { exact: true }).selectOption("invalid-tls");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Saved: read back as shown" }),
  ).toBeVisible();
  const stored = await storedRules();
  expect(stored.rules[0]).toEqual(text);
  expect(stored.else).toBe("'invalid-tls'");
});

test("a parse error is shown on its row with the server's message and position, and nothing is sent", {
  tag: "@embedded",
}, async ({ page }) => {
  await openRules(page);
  const requests = countApiRequests(page);
  await page.getByRole("button", { name: "Add a rule as text" }).click();
  await ruleRow(page, 2).getByLabel("Condition").fill("rcpt_domain == example.com");
  await ruleRow(page, 2).getByLabel("Value").fill("'default'");
  await expect(ruleRow(page, 2)).toContainText(
    `Error parsing 'if' expression in condition #2: Invalid variable or constant "example.com" (at character 16)`,
  );
  await expect(ruleRow(page, 2).getByLabel("Condition")).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing was sent" })).toBeVisible();
  expect(requests.changes).toBe(0);
  expect(await storedRules()).toEqual(DEFAULT_RULES);
});

test("Try it names the rule that fired and the strategy", { tag: "@embedded" }, async ({
  page,
}) => {
  await setRules(server, {
    rules: [
      { if: "rcpt_domain == 'partner.example'", then: "'invalid-tls'" },
      DEFAULT_RULES.rules[0] as { if: string; then: string },
      { if: "mx == 'mx.secure.example'", then: "'high-security'" },
      { if: "retry_num > 3 && is_local_domain(rcpt_domain)", then: "'local'" },
    ],
    else: "'default'",
  });
  await openRules(page);
  const tryIt = page.getByRole("region", { name: "Try it" });
  const answer = tryIt.getByRole("status");
  const run = async (domain: string, mx: string, retry: string, error: string) => {
    await tryIt.getByLabel("Recipient domain").fill(domain);
    await tryIt.getByLabel("MX host").fill(mx);
    await tryIt.getByLabel("Retry number").fill(retry);
    await tryIt.getByLabel("Last error").selectOption(error);
    await tryIt.getByRole("button", { name: "Try" }).click();
  };
  await run("bob@Partner.Example", "", "0", "none");
  await expect(answer).toHaveText(
    "Rule 1: Mail to partner.example uses invalid-tls. Strategy: invalid-tls.",
  );
  await run("other.example", "", "2", "tls");
  await expect(answer).toContainText("Rule 2:");
  await run("other.example", "MX.secure.example.", "0", "none");
  await expect(answer).toContainText("Rule 3: Mail through MX host mx.secure.example");
  await expect(answer).toContainText("built-in defaults");
  await run("other.example", "", "0", "none");
  await expect(answer).toHaveText("Otherwise (no rule applies). Strategy: default.");
  await run("other.example", "", "4", "connection");
  await expect(answer).toContainText(
    "Cannot tell here: evaluation reaches is_local_domain in rule 4",
  );
  // A retry number is a whole number from 0: anything else is said by the field, not guessed.
  await tryIt.getByLabel("Retry number").fill("-1");
  await tryIt.getByRole("button", { name: "Try" }).click();
  await expect(tryIt.getByText("Enter a whole number of retries")).toBeVisible();
  await expect(tryIt.getByLabel("Retry number")).toHaveAttribute("aria-invalid", "true");
  await expect(answer).toHaveCount(0);
});

test("two admins at once: a save re-reads, and a clash shows both rule lists", {
  tag: "@embedded",
}, async ({ page }) => {
  await openRules(page);
  await page.getByLabel("Otherwise", { exact: true }).selectOption("invalid-tls");
  await setRules(server, { rules: [], else: "'default'" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Someone else changed the TLS rules" });
  await expect(dialog.getByRole("region", { name: "Stored now" })).toContainText(
    "Otherwise: uses default",
  );
  await expect(dialog.getByRole("region", { name: "Yours" })).toContainText(
    "1. Any mail, on a retry after a tls failure, uses invalid-tls",
  );
  expect((await storedRules()).rules).toEqual([]);
  await dialog.getByRole("button", { name: "Save mine instead" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Saved: read back as shown" }),
  ).toBeVisible();
  expect(await storedRules()).toEqual({ ...DEFAULT_RULES, else: "'invalid-tls'" });
});

test("a user without sysMtaOutboundStrategyUpdate reads the rules and tries them, and changes nothing", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server, server.users.reader, RULES_PATH);
  await expect(page.getByRole("heading", { level: 1, name: "TLS rules" })).toBeVisible();
  await expect(page.getByText(/You can view these rules but not change them/)).toBeVisible();
  await expect(page.getByLabel("Otherwise", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Move up" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add an exception" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  const tryIt = page.getByRole("region", { name: "Try it" });
  await tryIt.getByLabel("Recipient domain").fill("a.example");
  await tryIt.getByRole("button", { name: "Try" }).click();
  await expect(tryIt.getByRole("status")).toHaveText(
    "Otherwise (no rule applies). Strategy: default.",
  );
  await expectNoAxeViolations(page);
});

test("an answer of updated whose read-back shows other rules is never called saved", {
  tag: "@embedded",
}, async ({ page }) => {
  await openRules(page);
  // Stalwart may answer "updated" without storing (shared wire reference §10): here the
  // read-back in the same request is made to show the rules as they were.
  await page.route("**/jmap/", async (route) => {
    if (!route.request().postData()?.includes('"x:MtaOutboundStrategy/set"'))
      return route.fallback();
    const response = await route.fetch();
    const body = (await response.json()) as { methodResponses: [string, unknown, string][] };
    for (const [method, args] of body.methodResponses) {
      const list = (args as { list?: Record<string, unknown>[] }).list;
      if (method === "x:MtaOutboundStrategy/get" && list?.[0])
        list[0].tls = { match: { "0": DEFAULT_RULES.rules[0] }, else: DEFAULT_RULES.else };
    }
    await route.fulfill({ response, json: body });
  });
  await page.getByLabel("Otherwise", { exact: true }).selectOption("invalid-tls");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Not saved as shown" });
  await expect(alert).toContainText("reading them back shows other rules");
  await expect(alert.getByRole("region", { name: "Stored now" })).toContainText(
    "Otherwise: uses default",
  );
  await expect(page.getByText(/^Saved/)).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Saved, not applied yet" })).toHaveCount(0);
  // What was typed is still on screen.
  await expect(page.getByLabel("Otherwise", { exact: true })).toHaveValue("invalid-tls");
});

for (const width of [1280, 360]) {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`at ${width} px in the ${colorScheme} theme the rules view has no axe violations, and is photographed`, {
      tag: "@embedded",
    }, async ({ page }) => {
      await setRules(server, {
        rules: [
          { if: "rcpt_domain == 'partner.example'", then: "'invalid-tls'" },
          DEFAULT_RULES.rules[0] as { if: string; then: string },
          { if: "retry_num > 3 && is_local_domain(rcpt_domain)", then: "'default'" },
        ],
        else: "'default'",
      });
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await page.emulateMedia({ colorScheme });
      await openRules(page);
      const tryIt = page.getByRole("region", { name: "Try it" });
      await tryIt.getByLabel("Recipient domain").fill("bob@partner.example");
      await tryIt.getByRole("button", { name: "Try" }).click();
      await expect(tryIt.getByRole("status")).toContainText("Strategy: invalid-tls.");
      await checkAndPhotograph(page, "tls-rules", width, colorScheme);
    });
  }
}
