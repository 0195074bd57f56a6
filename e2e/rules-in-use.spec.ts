import type { Page } from "@playwright/test";
import { TEST_PATH } from "../src/paths";
import { createThroughApi, DEFAULT_RULES, setRules } from "./fixtures/api";
import { expect, expectNoAxeViolations, rowOf, signIn, test } from "./fixtures/page";
import { OUTCOMES, outcomeTable, runTest, worldForThisFile } from "./fixtures/world";

// Where the TLS rules meet the strategies (README "Which strategy applies where"): the list's
// mark, the form, the delete and duplicate warnings name the rule that picks a strategy; the
// destination test reads the outcome under the strategies the rules pick, route level and per
// MX host, before every single strategy's row. Against the loopback world
// (server/delivery/test-world/scenarios.ts), on this file's own server: its rules change.

const { server } = worldForThisFile({ label: "rules-in-use" });

const picked = (page: Page) => page.getByRole("table", { name: "As the rules pick" });
const attemptRow = (page: Page, attempt: string) =>
  picked(page)
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: attempt, exact: true }) });

/** This file's strategies (names known once the first hook ran). */
const named = { relaxed: "", starttlsRequired: "" };
test.beforeAll(async () => {
  named.relaxed = `${server.prefix}relaxed`;
  named.starttlsRequired = `${server.prefix}starttls-required`;
  await createThroughApi(server, { name: named.relaxed, allowInvalidCerts: true });
  await createThroughApi(server, { name: named.starttlsRequired, startTls: "require" });
});
test.beforeEach(async () => {
  await setRules(server, DEFAULT_RULES);
});
test.describe.configure({ timeout: 60_000 });

test("the list, the form, Delete and Duplicate name the rule that picks a strategy", {
  tag: "@embedded",
}, async ({ page }) => {
  await setRules(server, {
    rules: [
      { if: "rcpt_domain == 'partner.example'", then: `'${named.relaxed}'` },
      ...DEFAULT_RULES.rules,
    ],
    else: "'default'",
  });
  await signIn(page, server);
  const mark = (name: string) => rowOf(page, name).getByText("Used by", { exact: false });
  await expect(mark(named.relaxed)).toHaveText("Used by the outbound strategy's rule 1");
  await expect(mark("invalid-tls")).toHaveText("Used by the outbound strategy's rule 2");
  await expect(mark("default")).toHaveText("Used by the outbound strategy's Otherwise");
  await expect(rowOf(page, named.starttlsRequired)).not.toContainText("Used by");

  // The form says which rule, in the rules view's words.
  await page.getByRole("link", { name: named.relaxed, exact: true }).click();
  await expect(page.getByText(`Delivery picks “${named.relaxed}” by name`)).toBeVisible();
  await expect(
    page.getByText(`Rule 1: Mail to partner.example uses ${named.relaxed}`),
  ).toBeVisible();

  // Deleting it names the rule that would lose its strategy.
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete “${named.relaxed}”?` });
  await expect(dialog).toContainText(`Rule 1: Mail to partner.example uses ${named.relaxed}`);
  await expect(dialog).toContainText("silently falls back to Stalwart's built-in TLS defaults");
  await expectNoAxeViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Duplicating it (to rename it) says the rules keep naming the original.
  await page.getByRole("link", { name: "Duplicate" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Duplicate");
  const note = page.getByRole("note").filter({ hasText: "The copy is picked by none of them" });
  await expect(note).toContainText(`Rule 1: Mail to partner.example uses ${named.relaxed}`);
  await expect(note.getByRole("link", { name: "Which strategy applies where" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Selecting both used ones from the list names each one's rules.
  await page.goto(server.url("/settings/mta/outbound/tls-strategies"));
  await page.getByRole("checkbox", { name: `Select ${named.relaxed}` }).check();
  await page.getByRole("checkbox", { name: "Select default" }).check();
  await page.getByRole("button", { name: "Delete selected (2)" }).click();
  const bulk = page.getByRole("dialog");
  await expect(bulk).toContainText(`Rule 1: Mail to partner.example uses ${named.relaxed}`);
  await expect(bulk).toContainText("Otherwise (mail no numbered rule applies to)");
});

test("the destination test reads the outcome under the strategies the rules pick first", {
  tag: "@embedded",
}, async ({ page }) => {
  // An exception added on the rules view: badcert.test's untrusted certificate is accepted.
  await signIn(page, server);
  await page.getByRole("link", { name: "Which strategy applies where" }).click();
  await page.getByRole("button", { name: "Add an exception" }).click();
  const dialog = page.getByRole("dialog", { name: "Add an exception" });
  await dialog.getByLabel("Recipient domain").fill("badcert.test");
  await dialog.getByLabel("Strategy").selectOption(named.relaxed);
  await dialog.getByRole("button", { name: "Add" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  await page.goto(server.url(TEST_PATH));
  await runTest(page, "badcert.test");
  const first = attemptRow(page, "First attempt");
  await expect(first).toContainText(named.relaxed);
  await expect(first).toContainText(OUTCOMES.unchecked);
  await expect(first).toContainText("mx.badcert.test");
  await expect(attemptRow(page, "Retry after a TLS error")).toContainText(named.relaxed);
  // Read first: the picked strategy's row heads the table of every strategy; `default`
  // alone would defer on the untrusted certificate.
  await expect(outcomeTable(page).getByRole("rowheader").first()).toHaveText(named.relaxed);
  await expect(
    outcomeTable(page)
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "default", exact: true }) }),
  ).toContainText(OUTCOMES.deferred);
  await expectNoAxeViolations(page);
});

test("a rule on one MX host: the route-level pick drives MTA-STS, each host its own pick", {
  tag: "@embedded",
}, async ({ page }) => {
  // two-mx.test: mx1 answers STARTTLS with 454, mx2 is fine. Requiring STARTTLS on mx1 only
  // turns mx1's plaintext fallback into a temporary failure; mx2, on `default`, then decides.
  await setRules(server, {
    rules: [{ if: "mx == 'mx1.two-mx.test'", then: `'${named.starttlsRequired}'` }],
    else: "'default'",
  });
  await signIn(page, server, server.admin, TEST_PATH);
  await runTest(page, "two-mx.test");
  const first = attemptRow(page, "First attempt");
  await expect(first).toContainText("MTA-STS fetch (route level): default");
  await expect(first).toContainText(`mx1.two-mx.test: ${named.starttlsRequired}`);
  await expect(first).toContainText("mx2.two-mx.test: default");
  await expect(first).toContainText(OUTCOMES.verified);
  await expect(first).toContainText("mx2.two-mx.test");
});
