import type { Page } from "@playwright/test";
import { CREATE_PATH, editPath } from "../src/paths";
import { createThroughApi } from "./fixtures/api";
import { expect, signIn, test } from "./fixtures/page";
import { ANY_OUTCOME, countProbes, OUTCOMES, worldForThisFile } from "./fixtures/world";

// Test against a destination on the edit and create forms (README "Testing a destination"): the saved strategy
// and this draft side by side, from facts collected once (a field change never probes again),
// and a draft that turns a delivery into a plaintext one or a bounce is flagged in the security
// review. Against the loopback world's pki.test (one MX, STARTTLS, a certificate of the test
// root, no DNSSEC): verified by PKI under all-optional.

const { server } = worldForThisFile();

const regionOf = (page: Page) => page.getByRole("region", { name: "Test against a destination" });

/** The region's row of the saved strategy or of this draft. */
const sideOf = (page: Page, side: "Saved strategy" | "This draft") =>
  regionOf(page)
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: side, exact: true }) });

/**
 * Runs the test for `target` inside the form's region and waits until it has finished: the
 * draft has an outcome, Stop is gone.
 */
async function testInRegion(page: Page, target: string) {
  const region = regionOf(page);
  await region.getByLabel("Recipient domain or address", { exact: true }).fill(target);
  await region.getByRole("button", { name: "Run test", exact: true }).click();
  await expect(sideOf(page, "This draft")).toContainText(ANY_OUTCOME, { timeout: 20_000 });
  await expect(region.getByRole("button", { name: "Stop", exact: true })).toHaveCount(0, {
    timeout: 20_000,
  });
  await expect(region.getByRole("button", { name: "Run test", exact: true })).toBeEnabled();
}

test.describe("test against a destination on the forms", { tag: "@embedded" }, () => {
  test("edit: the draft's outcome changes beside the saved one, from the same facts, and the review flags it", async ({
    page,
  }) => {
    const name = server.uniqueName("optional");
    const id = await createThroughApi(server, { name });
    const probes = countProbes(page);
    await signIn(page, server, server.admin, editPath(id));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await testInRegion(page, "pki.test");
    // Saved and draft are the same strategy yet: both verified.
    await expect(sideOf(page, "Saved strategy")).toContainText(`${OUTCOMES.verified} by PKI`);
    await expect(sideOf(page, "This draft")).toContainText(`${OUTCOMES.verified} by PKI`);

    await page.getByLabel("STARTTLS", { exact: true }).selectOption("disable");
    await expect(sideOf(page, "This draft")).toContainText(OUTCOMES.plaintext);
    await expect(sideOf(page, "Saved strategy")).toContainText(`${OUTCOMES.verified} by PKI`);
    // The facts were collected once: the draft's outcome is recomputed, not probed again.
    expect(probes.count).toBe(1);

    await page.getByRole("button", { name: "Save", exact: true }).click();
    const review = page.getByRole("dialog");
    await expect(review).toBeVisible();
    await expect(review).toContainText(
      `Mail to pki.test: “${OUTCOMES.verified} by PKI” with the saved strategy, but “${OUTCOMES.plaintext}”`,
    );
    await page.getByRole("button", { name: "Go back" }).click();

    // Back to the saved value: the draft delivers as the saved one does again.
    await page.getByLabel("STARTTLS", { exact: true }).selectOption("optional");
    await expect(sideOf(page, "This draft")).toContainText(`${OUTCOMES.verified} by PKI`);
    expect(probes.count).toBe(1);
  });

  test("create: only the draft, and a draft that bounces says why in Stalwart's words", async ({
    page,
  }) => {
    const probes = countProbes(page);
    await signIn(page, server, server.admin, CREATE_PATH);
    await expect(page.getByRole("heading", { level: 1, name: "Create strategy" })).toBeVisible();
    await testInRegion(page, "pki.test");
    await expect(sideOf(page, "Saved strategy")).toHaveCount(0);
    await expect(sideOf(page, "This draft")).toContainText(`${OUTCOMES.verified} by PKI`);

    await page.getByLabel("DANE", { exact: true }).selectOption("require");
    await expect(sideOf(page, "This draft")).toContainText(OUTCOMES.bounced);
    await expect(sideOf(page, "This draft")).toContainText(
      "DaneError: No TLSA DNSSEC records found",
    );
    expect(probes.count).toBe(1);
  });
});
