import * as z from "zod/mini";
import { type StartedWorld, startWorld } from "../server/delivery/test-world/start-world";
import { TEST_PATH } from "../src/paths";
import { expect, expectNoAxeViolations, LIST_PATH, signIn, test } from "./fixtures/page";
import { apiClient, startEmbedded, type TestServer } from "./fixtures/server";
import { OUTCOMES, outcomeOf, runTest } from "./fixtures/world";

// Proxy mode (README "Configuration", STALWART_URL): the page's server forwards the JMAP API to
// a separate Stalwart (here an embedded server standing in for it, probing the loopback world
// for its own live delivery test) and keeps only the page and its probe. Through the page in
// Chromium: signing in, listing and saving go to Stalwart; the destination test asks Stalwart
// who may run it, says its facts are not the mail server's, and runs Stalwart's own test there.

type Started = Awaited<ReturnType<typeof startEmbedded>>;
let world: StartedWorld | undefined;
let stalwart: Started | undefined;
let pageServer: Started | undefined;

const VIEWER = { username: "viewer", password: "viewer-password-1" };

/** The page's server, signed in to with Stalwart's accounts. */
const server: TestServer = {
  url: (path = "/") => new URL(path, pageServer?.origin).toString(),
  get admin() {
    if (!stalwart) throw new Error("Stalwart starts in the file's first hook.");
    return stalwart.admin;
  },
  users: { viewer: VIEWER },
  prefix: "e2e-proxy-",
  uniqueName: (label) => `e2e-proxy-${label}-${Date.now().toString(36)}`,
};

/** Stalwart itself (the stand-in), for setting the scene and checking what it stores. */
const upstream = (): TestServer => ({
  ...server,
  url: (path = "/") => new URL(path, stalwart?.origin).toString(),
});

test.beforeAll(async () => {
  test.setTimeout(60_000);
  world = await startWorld("stories");
  stalwart = await startEmbedded(
    [
      {
        name: VIEWER.username,
        password: VIEWER.password,
        permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
      },
    ],
    world.env,
  );
  pageServer = await startEmbedded([], { ...world.env, STALWART_URL: stalwart.origin });
});
test.afterAll(async () => {
  await pageServer?.stop();
  await stalwart?.stop();
  await world?.close();
});

test("signing in, listing and saving go to Stalwart", { tag: "@embedded" }, async ({ page }) => {
  await signIn(page, server);
  await expect(page.getByRole("link", { name: "default", exact: true })).toBeVisible();
  const name = server.uniqueName("created");
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name").fill(name);
  await expect(page.getByText(/is free\./)).toBeVisible();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  // Stored by Stalwart, not by the page's server.
  const found = await apiClient(upstream()).call([
    { id: "q", name: "x:MtaTlsStrategy/query", args: { filter: { name } } },
  ]);
  expect(found.get("q", z.looseObject({ ids: z.array(z.string()) })).ids).toHaveLength(1);
});

test("the destination test asks Stalwart who may run it, and says it is not the mail server", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server, server.admin, TEST_PATH);
  await runTest(page, "pki.test");
  await expect(outcomeOf(page, "default")).toContainText(OUTCOMES.verified);
  await expect(page.getByText(/Not from the mail server/)).toBeVisible();
  // Stalwart's own test runs on the mail server (the stand-in's live delivery test).
  const region = page.getByRole("region", { name: "Stalwart's own test" });
  await region.getByRole("button", { name: "Run Stalwart's own test", exact: true }).click();
  await expect(region.getByRole("status")).toHaveText("Stalwart's test completed.", {
    timeout: 20_000,
  });
  await expectNoAxeViolations(page);
});

test("an account Stalwart does not give liveDeliveryTest is told so, and nothing is probed", {
  tag: "@embedded",
}, async ({ page }) => {
  let probes = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/probe/")) probes += 1;
  });
  await signIn(page, server, VIEWER, LIST_PATH);
  await page.goto(server.url(`${TEST_PATH}?target=pki.test`));
  await expect(page.getByText(/needs the “liveDeliveryTest” permission/)).toBeVisible();
  expect(probes).toBe(0);
});
