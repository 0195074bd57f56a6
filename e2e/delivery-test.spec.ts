import { LIST_PATH, TEST_PATH, testPath } from "../src/paths";
import { PROBE_PATH } from "../src/stalwart/delivery/frames";
import { createThroughApi } from "./fixtures/api";
import { checkAndPhotograph, expect, signIn, test } from "./fixtures/page";
import {
  ANY_OUTCOME,
  countProbes,
  expectFinished,
  OUTCOMES,
  openTestView,
  outcomeOf,
  outcomeTable,
  runTest,
  worldForThisFile,
} from "./fixtures/world";

// Test a destination (README "Testing a destination"): the view against the loopback
// world (server/delivery/test-world/scenarios.ts, one domain per story), through the page in
// Chromium with role and label locators. Every outcome is Stalwart's (shared delivery
// reference tables A–F); the strategies each story needs are created through the API with
// this file's prefix, beside the two a fresh server holds (`default`: all optional;
// `invalid-tls`: the same with allowInvalidCerts). The view is photographed at 1280 and 360 px,
// light and dark, into test-results/screenshots/ (git-ignored), as e2e/layout.spec.ts does.

const { server, world } = worldForThisFile();

/** This file's strategies, by what they require (names known once the first hook ran). */
const named = { daneRequired: "", stsRequired: "", starttlsRequired: "", noStarttls: "" };
test.beforeAll(async () => {
  named.daneRequired = `${server.prefix}dane-required`;
  named.stsRequired = `${server.prefix}sts-required`;
  named.starttlsRequired = `${server.prefix}starttls-required`;
  named.noStarttls = `${server.prefix}starttls-disabled`;
  await createThroughApi(server, { name: named.daneRequired, dane: "require" });
  await createThroughApi(server, { name: named.stsRequired, mtaSts: "require" });
  await createThroughApi(server, { name: named.starttlsRequired, startTls: "require" });
  await createThroughApi(server, { name: named.noStarttls, startTls: "disable" });
});

test.describe("the view", { tag: "@embedded" }, () => {
  test("verified TLS by PKI: every strategy has a row, the MX and the way it was checked", async ({
    page,
  }) => {
    const probes = countProbes(page);
    await openTestView(page, server);
    await runTest(page, "pki.test");
    const table = outcomeTable(page);
    for (const name of ["default", "invalid-tls", ...Object.values(named)])
      await expect(table.getByRole("rowheader", { name, exact: true })).toBeVisible();
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.verified);
    await expect(outcomeOf(page, "default")).toContainText("by PKI");
    await expect(outcomeOf(page, "default")).toContainText("mx.pki.test");
    await expect(outcomeOf(page, named.noStarttls)).toContainText(OUTCOMES.plaintext);
    // Today's default `tls` expression: `default` first, `invalid-tls` after a TLS error.
    await expect(outcomeOf(page, "default")).toContainText("First attempt");
    await expect(outcomeOf(page, "invalid-tls")).toContainText("Retry after a TLS error");
    // The facts as an admin reads them: the MX host is listed.
    await expect(page.getByRole("main").getByText("mx.pki.test").first()).toBeVisible();
    // Facts are collected once for every strategy.
    expect(probes.count).toBe(1);
  });

  test("verified by DANE: a self-signed certificate PKI refuses, matched by TLSA 3 1 1", async ({
    page,
  }) => {
    await openTestView(page, server);
    await runTest(page, "dane.test");
    await expect(page.getByText("This server's resolver validates DNSSEC")).toBeVisible();
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.verified);
    await expect(outcomeOf(page, "default")).toContainText("by DANE");
    await expect(outcomeOf(page, named.daneRequired)).toContainText("by DANE");
    // startTls: disable overrides DANE (reference §0, fact 3).
    await expect(outcomeOf(page, named.noStarttls)).toContainText(OUTCOMES.plaintext);
  });

  test("plaintext when STARTTLS is not offered; bounced where STARTTLS is required", async ({
    page,
  }) => {
    await openTestView(page, server);
    await runTest(page, "plain.test");
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.plaintext);
    await expect(outcomeOf(page, named.starttlsRequired)).toContainText(OUTCOMES.bounced);
    await expect(outcomeOf(page, named.starttlsRequired)).toContainText(
      "STARTTLS not advertised by host.",
    );
  });

  test("a bad certificate defers; allowing invalid certificates rescues it", async ({ page }) => {
    await openTestView(page, server);
    await runTest(page, "badcert.test");
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.deferred);
    await expect(outcomeOf(page, "default")).toContainText("invalid peer certificate");
    await expect(outcomeOf(page, "invalid-tls")).toContainText(OUTCOMES.unchecked);
  });

  test("an MTA-STS enforce policy that does not cover the MX bounces, whatever the strategy", async ({
    page,
  }) => {
    await openTestView(page, server);
    await runTest(page, "enforce.test");
    for (const name of ["default", "invalid-tls"]) {
      await expect(outcomeOf(page, name)).toContainText(OUTCOMES.bounced);
      await expect(outcomeOf(page, name)).toContainText(
        'MX "mx.enforce.test" not authorized by policy.',
      );
    }
  });

  test("MTA-STS required without a policy bounces; optional delivers", async ({ page }) => {
    await openTestView(page, server);
    await runTest(page, "nosts.test");
    await expect(outcomeOf(page, named.stsRequired)).toContainText(OUTCOMES.bounced);
    await expect(outcomeOf(page, named.stsRequired)).toContainText("Record not found: NXDomain");
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.verified);
  });

  test("DANE required without DNSSEC bounces; optional delivers by PKI", async ({ page }) => {
    await openTestView(page, server);
    await runTest(page, "nodnssec.test");
    await expect(outcomeOf(page, named.daneRequired)).toContainText(OUTCOMES.bounced);
    await expect(outcomeOf(page, named.daneRequired)).toContainText("No TLSA DNSSEC records found");
    await expect(outcomeOf(page, "default")).toContainText("by PKI");
  });

  test("a hostile target is refused by the field and by the server; nothing is probed", async ({
    page,
  }) => {
    const probes = countProbes(page);
    await openTestView(page, server);
    const before = world().dnsQueries();
    const field = page.getByLabel("Recipient domain or address", { exact: true });
    for (const [target, message] of [
      ["127.0.0.1", /IP addresses cannot be tested/],
      ["localhost", /localhost cannot be tested/],
      ["mail example.test", /no spaces/],
      [`${"a".repeat(296)}.test`, /over 300 characters/],
    ] as const) {
      await field.fill(target);
      await page.getByRole("button", { name: "Run test", exact: true }).click();
      await expect(field).toHaveAccessibleDescription(message);
    }
    await expect(outcomeTable(page).getByText(ANY_OUTCOME)).toHaveCount(0);
    expect(probes.count).toBe(0);
    // Asked directly, the server refuses the same targets before it looks anything up.
    const { username, password } = server.admin;
    const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    for (const target of ["127.0.0.1", "localhost", "[::1]"]) {
      const response = await fetch(
        server.url(`${PROBE_PATH}?target=${encodeURIComponent(target)}`),
        { headers: { Authorization: authorization } },
      );
      expect(response.status, target).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(world().dnsQueries()).toEqual(before);
  });

  test("Stop ends a test that hangs, and claims no outcome", async ({ page }) => {
    await openTestView(page, server);
    // mx.silent.test accepts the connection and never greets.
    await page.getByLabel("Recipient domain or address", { exact: true }).fill("silent.test");
    await page.getByRole("button", { name: "Run test", exact: true }).click();
    const stop = page.getByRole("button", { name: "Stop", exact: true });
    await expect(stop).toBeVisible();
    await expect(page.getByRole("main").getByText("mx.silent.test").first()).toBeVisible();
    // The progress line names the step under way: the connection that gets no greeting.
    await expect(
      page.getByRole("status").filter({ hasText: /Connecting to .* \(mx\.silent\.test\)/ }),
    ).toBeVisible();
    await stop.click();
    await expectFinished(page, 3_000);
    await expect(outcomeOf(page, "default")).not.toContainText(ANY_OUTCOME);
  });

  test("a deep link (?target=) fills the field and runs the test", async ({ page }) => {
    const probes = countProbes(page);
    await signIn(page, server, server.admin, testPath("pki.test"));
    await expect(page.getByRole("heading", { level: 1, name: "Test a destination" })).toBeVisible();
    await expect(page.getByLabel("Recipient domain or address", { exact: true })).toHaveValue(
      "pki.test",
    );
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.verified, {
      timeout: 20_000,
    });
    expect(probes.targets).toEqual(["pki.test"]);
  });

  test("the address bar names the test run, so a reload or a shared link runs it again", async ({
    page,
  }) => {
    const probes = countProbes(page);
    await openTestView(page, server);
    await runTest(page, "plain.test");
    await expect(page).toHaveURL((url) => url.search === "?target=plain.test");
    await page.reload();
    await expect(page.getByLabel("Recipient domain or address", { exact: true })).toHaveValue(
      "plain.test",
    );
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.plaintext, {
      timeout: 20_000,
    });
    expect(probes.targets).toEqual(["plain.test", "plain.test"]);
    // The history gains no entry per run: Back leaves the view.
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  });
});

test.describe("behind a resolver that cannot validate DNSSEC", { tag: "@embedded" }, () => {
  // The same domains, but `. DNSKEY` comes back without AD: Stalwart turns DANE off at start-up
  // (reference §0, fact 4), so Optional never applies and Required bounces everything.
  const behind = worldForThisFile({ scenario: "non-validating", label: "delivery-test-nv" });
  let daneRequired = "";
  test.beforeAll(async () => {
    daneRequired = `${behind.server.prefix}dane-required`;
    await createThroughApi(behind.server, { name: daneRequired, dane: "require" });
  });

  test("the view says DANE is off; TLSA no longer rescues a self-signed host", async ({ page }) => {
    await signIn(page, behind.server, behind.server.admin, TEST_PATH);
    await runTest(page, "dane.test");
    await expect(
      page.getByRole("note").filter({ hasText: "cannot validate DNSSEC" }),
    ).toContainText("Stalwart turns DANE off");
    await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.deferred);
    await expect(outcomeOf(page, daneRequired)).toContainText(OUTCOMES.bounced);
    await expect(outcomeOf(page, daneRequired)).toContainText("No TLSA DNSSEC records found");
  });
});

for (const width of [1280, 360]) {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`at ${width} px in the ${colorScheme} theme the view has no axe violations, and is photographed`, {
      tag: "@embedded",
    }, async ({ page }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await page.emulateMedia({ colorScheme });
      await signIn(page, server, server.admin, testPath("two-mx.test"));
      await expect(outcomeOf(page, "default")).toContainText(ANY_OUTCOME, { timeout: 20_000 });
      await expectFinished(page);
      await checkAndPhotograph(page, "test-destination", width, colorScheme);
    });
  }
}

test("the list links to the view", async ({ page }) => {
  await signIn(page, server);
  await expect(page.getByRole("link", { name: "Test a destination", exact: true })).toHaveAttribute(
    "href",
    TEST_PATH,
  );
  expect(new URL(page.url()).pathname).toBe(LIST_PATH);
});
