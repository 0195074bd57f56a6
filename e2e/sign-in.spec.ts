import { expect, LIST_PATH, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile({
  users: [
    {
      name: "robot",
      apiKeys: ["robot-api-key-0123456789"],
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
    },
  ],
});

test("an admin signs in with the right password, and a wrong one is refused", async ({ page }) => {
  await page.goto(server.url("/"));
  await expect(page).toHaveTitle(/Sign in/);
  await page.getByLabel("Username", { exact: true }).fill(server.admin.username);
  await page.getByLabel("Password", { exact: true }).fill(`${server.admin.password}-wrong`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
  // What was typed stays, so only the password needs retyping.
  await expect(page.getByLabel("Username", { exact: true })).toHaveValue(server.admin.username);

  await page.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  await expect(page).toHaveURL(server.url(LIST_PATH));
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toHaveText(
    /Settings.*MTA.*Outbound.*TLS Strategies/,
  );

  // A reload keeps the session (sessionStorage); signing out forgets it.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
});

test("a deep link asks for sign-in first, then opens where the admin was going", async ({
  page,
}) => {
  await signIn(page, server, server.admin, `${LIST_PATH}/new`);
  await expect(page).toHaveURL(server.url(`${LIST_PATH}/new`));
  await expect(page.getByRole("heading", { name: "Create strategy" })).toBeVisible();
});

test("credentials that stop working return to sign-in, then back to the same page", async ({
  page,
}) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  // Simulate a revoked password: the stored credentials no longer match.
  await page.evaluate(() => {
    const key = "stalwart-tls-strategies.credentials";
    const stored = JSON.parse(sessionStorage.getItem(key) ?? "{}");
    sessionStorage.setItem(key, JSON.stringify({ ...stored, password: "revoked" }));
  });
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  await page.getByLabel("Username", { exact: true }).fill(server.admin.username);
  await page.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(server.url(LIST_PATH));
  await expect(page.getByRole("link", { name: "Create strategy" })).toBeVisible();
});

test("an API key signs in with Bearer authentication, a wrong one is refused", async ({ page }) => {
  await page.goto(server.url("/sign-in"));
  await page.getByRole("radio", { name: "API key (Bearer token)" }).check();
  await page.getByLabel("API key", { exact: true }).fill("not-a-key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("This API key was not accepted.");
});

test("an API key declared in users.json signs in", { tag: "@embedded" }, async ({ page }) => {
  await page.goto(server.url("/sign-in"));
  await page.getByRole("radio", { name: "API key (Bearer token)" }).check();
  await page.getByLabel("API key", { exact: true }).fill("robot-api-key-0123456789");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "default", exact: true })).toBeVisible();
  // The header names the account the key belongs to, as the session's `username` says.
  await expect(page.getByRole("banner")).toContainText("robot");
});
