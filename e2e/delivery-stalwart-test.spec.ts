import type { Page } from "@playwright/test";
import { checkAndPhotograph, expect, expectNoAxeViolations, test } from "./fixtures/page";
import { openTestView, runTest, worldForThisFile } from "./fixtures/world";

// "Stalwart's own test" beside the page's prediction (README "Testing a destination",
// destination"): after the page's own test the admin opts in, the embedded server answers
// Stalwart's live delivery test (shared delivery reference §3) against the loopback world, the
// region shows its events as an admin reads them and marks where the two disagree. Through
// the page in Chromium, role and label locators only.

const { server } = worldForThisFile({ label: "stalwart-test" });

const region = (page: Page) => page.getByRole("region", { name: "Stalwart's own test" });

/** Counts the page's requests for Stalwart's live test stream. */
function countLiveTests(page: Page) {
  const counter = { count: 0 };
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/live/delivery/")) counter.count += 1;
  });
  return counter;
}

/** Presses the button and waits until Stalwart's test completed. */
async function runStalwartTest(page: Page) {
  const stalwart = region(page);
  await stalwart.getByRole("button", { name: "Run Stalwart's own test", exact: true }).click();
  await expect(stalwart.getByRole("status")).toHaveText("Stalwart's test completed.", {
    timeout: 20_000,
  });
  return stalwart;
}

test.describe("Stalwart's own test beside the prediction", { tag: "@embedded" }, () => {
  test("a host verified by DANE alone: Stalwart's test fails it by PKI, and the page marks why", async ({
    page,
  }) => {
    const live = countLiveTests(page);
    await openTestView(page, server);
    await runTest(page, "dane.test");
    const stalwart = region(page);
    // The admin opts in: nothing ran yet, and the button says what it changes.
    await expect(
      stalwart.getByRole("button", { name: "Run Stalwart's own test", exact: true }),
    ).toHaveAccessibleDescription(/primes or refreshes that cache/);
    await expect(stalwart).toContainText("It runs on this server, the embedded mail server");
    await expect(stalwart).toContainText("It stops at the first host that succeeds");
    expect(live.count).toBe(0);

    await runStalwartTest(page);
    expect(live.count).toBe(1);
    // Its events, per host, as an admin reads them.
    const hosts = stalwart
      .getByRole("list", { name: "Hosts it tried, in order" })
      .getByRole("listitem")
      .filter({ hasText: "mx.dane.test" })
      .first();
    await expect(hosts).toContainText("DNSSEC-signed TLSA records: 1 DANE-EE");
    await expect(hosts).toContainText("Connected");
    await expect(hosts).toContainText("STARTTLS failed");
    await expect(hosts).toContainText("invalid peer certificate");
    await expect(stalwart).toContainText("No MTA-STS policy (no _mta-sts record).");
    // The disagreement, marked in plain words, and expected (reference §3.3).
    const disagreements = stalwart.getByRole("list", { name: "Where the two tests disagree" });
    const dane = disagreements.getByRole("listitem").filter({ hasText: "DANE on mx.dane.test" });
    await expect(dane).toContainText("Expected: the test is not delivery");
    await expect(dane).toContainText("This page's test: the certificate matches its TLSA record");
    await expect(dane).toContainText(
      "Stalwart's test: DANE never checked: the PKI check refused the certificate first",
    );
    await expectNoAxeViolations(page);
  });

  test("a host verified by PKI: the two agree, and Stalwart's test ends at that host", async ({
    page,
  }) => {
    await openTestView(page, server);
    await runTest(page, "pki.test");
    const stalwart = await runStalwartTest(page);
    await expect(stalwart).toContainText("STARTTLS and TLS succeeded, certificate verified by PKI");
    await expect(stalwart).toContainText("QUIT completed");
    await expect(stalwart).toContainText("They agree on every fact both report");
    await expect(stalwart.getByRole("list", { name: "Where the two tests disagree" })).toHaveCount(
      0,
    );
  });

  test("an MX the MTA-STS policy does not list: Stalwart's test skips it, as the prediction bounces", async ({
    page,
  }) => {
    await openTestView(page, server);
    await runTest(page, "enforce.test");
    const stalwart = await runStalwartTest(page);
    await expect(stalwart).toContainText("mode enforce");
    await expect(stalwart).toContainText("Not authorized by policy; the test skips the host.");
    await expect(stalwart).toContainText("They agree on every fact both report");
  });

  test("at 360 px in the dark theme, with its events and a disagreement shown, axe finds nothing", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: "dark" });
    await openTestView(page, server);
    await runTest(page, "dane.test");
    const stalwart = await runStalwartTest(page);
    await expect(
      stalwart.getByRole("list", { name: "Where the two tests disagree" }),
    ).toBeVisible();
    await checkAndPhotograph(page, "stalwart-test", 360, "dark");
  });
});
