import type { Page } from "@playwright/test";
import { createThroughApi } from "./fixtures/api";
import { expect, searchPath, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

/**
 * Answers the request that carries the /set in the server's place: the /set gets `args`,
 * the other calls in that request (the list re-read) fail, as a stricter server might.
 */
async function answerSetWith(page: Page, args: Record<string, unknown>) {
  await page.route("**/jmap/", async (route) => {
    const body = route.request().postDataJSON() as { methodCalls: [string, unknown, string][] };
    if (!body.methodCalls.some(([name]) => name === "x:MtaTlsStrategy/set"))
      return route.continue();
    await route.fulfill({
      json: {
        methodResponses: body.methodCalls.map(([name, , id]) =>
          name === "x:MtaTlsStrategy/set"
            ? [name, args, id]
            : ["error", { type: "serverFail" }, id],
        ),
        sessionState: "0",
      },
    });
  });
}

// A real Stalwart may refuse what the page's own checks let through (a stricter version, a
// changed rule). These stories make the server answer so and check that the answer lands
// where the admin looks, and that nothing typed is lost.

test("a SetError naming properties lands on those fields", async ({ page }) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  const name = server.uniqueName("refused");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("90s");
  await answerSetWith(page, {
    accountId: "b",
    notCreated: {
      new: {
        type: "invalidPatch",
        description: "Invalid duration value",
        properties: ["tlsTimeout"],
      },
    },
  });
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const field = page.getByLabel("TLS handshake timeout", { exact: true });
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(
    /The server refused this value: Invalid duration value/,
  );
  await expect(field).toHaveValue("90s");
  await expect(page.getByLabel("Name")).toHaveValue(name);
});

test("a validationFailed answer lands on its field", async ({ page }) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name").fill(server.uniqueName("validation"));
  await answerSetWith(page, {
    notCreated: {
      new: {
        type: "validationFailed",
        validationErrors: [{ type: "Required", property: "description" }],
      },
    },
  });
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByLabel("Description", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByLabel("Description", { exact: true })).toHaveAccessibleDescription(
    /The server requires a value here/,
  );
});

test("a server failure shows a form-level alert and keeps what was typed", async ({ page }) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  const name = server.uniqueName("outage");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description", { exact: true }).fill("Typed before the outage");
  await page.route("**/jmap/", (route) =>
    route.request().postData()?.includes("x:MtaTlsStrategy/set")
      ? route.fulfill({ status: 503, body: "Service Unavailable" })
      : route.continue(),
  );
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(/The server answered 503/);
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue(
    "Typed before the outage",
  );

  // Once the server is back, the same click creates it.
  await page.unrouteAll();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Created “${name}”.`);
});

test("a list that cannot load says what happened and offers to try again", async ({ page }) => {
  const name = server.uniqueName("listed");
  await createThroughApi(server, { name });
  await page.route("**/jmap/", (route) =>
    route.request().postData()?.includes("x:MtaTlsStrategy/query")
      ? route.fulfill({
          status: 500,
          contentType: "application/problem+json",
          body: '{"type":"about:blank","status":500,"detail":"Disk full"}',
        })
      : route.continue(),
  );
  await signIn(page, server, server.admin, searchPath(name));
  await expect(page.getByRole("alert")).toHaveText(
    /Could not load the TLS strategies\. The server answered 500.*Disk full/,
  );
  await page.unrouteAll();
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
});

test("a read that fails once is retried on its own, with a pause", async ({ page }) => {
  const name = server.uniqueName("retried");
  await createThroughApi(server, { name });
  let failures = 0;
  await page.route("**/jmap/", (route) => {
    if (failures === 0 && route.request().postData()?.includes("x:MtaTlsStrategy/query")) {
      failures += 1;
      return route.fulfill({ status: 503, body: "Service Unavailable" });
    }
    return route.continue();
  });
  await signIn(page, server, server.admin, searchPath(name));
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  expect(failures).toBe(1);
});
