import type { Page } from "@playwright/test";
import {
  createThroughApi,
  failNextReloads,
  requestsAtServer,
  runningStrategies,
} from "./fixtures/api";
import { expect, expectNoAxeViolations, LIST_PATH, rowOf, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// README, "Saved is not applied": Stalwart delivers with the settings it loaded until they
// are reloaded (shared wire reference §11); the page says what is pending and applies it.

const READ_WRITE = [
  "sysMtaTlsStrategyGet",
  "sysMtaTlsStrategyQuery",
  "sysMtaTlsStrategyCreate",
  "sysMtaTlsStrategyUpdate",
  "sysMtaTlsStrategyDestroy",
];
const server = serverForThisFile({
  users: [
    { name: "editor", password: "editor-password-1", permissions: READ_WRITE },
    {
      name: "half-create",
      password: "half-create-password-1",
      permissions: [...READ_WRITE, "sysActionCreate"],
    },
    {
      name: "half-reload",
      password: "half-reload-password-1",
      permissions: [...READ_WRITE, "actionReloadSettings"],
    },
  ],
});

const pendingNotice = (page: Page) => page.getByRole("region", { name: "Saved, not applied yet" });
const runningNamed = async (name: string) =>
  (await runningStrategies(server)).find((s) => s.name === name);

test("a save is pending until Apply now; only then does delivery use it", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server);
  const name = server.uniqueName("apply");
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Created “${name}”.`);
  const notice = pendingNotice(page);
  await expect(notice).toContainText(
    "Stalwart keeps delivering with the previous settings until they are reloaded",
  );
  await expect(notice.getByRole("listitem")).toHaveText([`${name} created`]);
  await expect(notice).toContainText(
    "changes other admins or tools saved, which cannot be seen here",
  );
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row).toContainText("Not applied yet");
  await expectNoAxeViolations(page);
  expect(await runningNamed(name)).toBeUndefined();

  await notice.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByRole("status")).toHaveText(
    /^Applied\. Delivery now uses the saved settings on this node\. In a cluster, the other nodes reload on their own/,
  );
  await expect(notice).toHaveCount(0);
  // The button is gone with the notice: focus is on the news instead of lost.
  await expect(page.locator(".announcements")).toBeFocused();
  await expect(row).not.toContainText("Not applied yet");
  expect(await runningNamed(name)).toMatchObject({ startTls: "optional" });

  // An edit is pending in words, and the running copy keeps the old value until applied.
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  await expect(notice.getByRole("listitem")).toHaveText([`${name}: STARTTLS Optional → Required`]);
  expect(await runningNamed(name)).toMatchObject({ startTls: "optional" });
  await notice.getByRole("button", { name: "Apply now" }).click();
  await expect(notice).toHaveCount(0);
  expect(await runningNamed(name)).toMatchObject({ startTls: "require" });
});

test("Save and apply sends the save and the reload in one request", {
  tag: "@embedded",
}, async ({ page }) => {
  const name = server.uniqueName("one-request");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await page.getByLabel("DANE", { exact: true }).selectOption({ label: "Disabled" });
  const before = (await requestsAtServer(server)).length;
  await page.getByRole("button", { name: "Save and apply" }).click();
  await page
    .getByRole("dialog", { name: "Save with warnings?" })
    .getByRole("button", { name: "Save anyway" })
    .click();
  await expect(page.getByRole("status")).toContainText(
    `Saved “${name}”. Applied. Delivery now uses the saved settings on this node.`,
  );
  await expect(pendingNotice(page)).toHaveCount(0);
  const requests = (await requestsAtServer(server)).slice(before);
  const saves = requests.filter((methods) => methods.includes("x:MtaTlsStrategy/set"));
  expect(saves).toHaveLength(1);
  expect(saves[0]).toContain("x:Action/set");
  expect(requests.filter((methods) => methods.includes("x:Action/set"))).toHaveLength(1);
  expect(await runningNamed(name)).toMatchObject({ dane: "disable" });
});

test("a failed apply says why in words, changes nothing, and keeps the list", {
  tag: "@embedded",
}, async ({ page }) => {
  const name = server.uniqueName("failing");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await page.getByLabel("Description", { exact: true }).fill("Pending");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const notice = pendingNotice(page);
  await expect(notice.getByRole("listitem")).toHaveText([
    `${name}: Description (none) → “Pending”`,
  ]);
  await failNextReloads(server, [
    {
      type: "validationFailed",
      description: "Invalid endpoint URL",
      objectId: { object: "Tracer", id: "k2" },
    },
    {
      type: "validationFailed",
      objectId: { object: "MtaRoute", id: "b" },
      validationErrors: [{ type: "Required", property: "address" }],
    },
    { type: "notFound", objectId: { object: "MtaTlsStrategy", id: "gone12345678" } },
    { type: "validationFailed", objectId: { object: "MtaTlsStrategy", id } },
  ]);
  const apply = notice.getByRole("button", { name: "Apply now" });
  const alert = notice.getByRole("alert");

  await apply.click();
  await expect(alert).toContainText("Not applied: nothing changed in the running configuration");
  await expect(alert).toContainText("the tracer (Tracer) with id “k2” is not valid");
  await expect(alert).toContainText("The server said: Invalid endpoint URL");
  await expect(notice.getByRole("listitem").first()).toHaveText(
    `${name}: Description (none) → “Pending”`,
  );
  await expectNoAxeViolations(page);

  await apply.click();
  await expect(alert).toContainText("the route (MtaRoute) with id “b” is not valid");
  await expect(alert).toContainText("“address” is required.");

  // A missing object is named, not linked: there is nothing to open.
  await apply.click();
  await expect(alert).toContainText(
    "the TLS strategy (MtaTlsStrategy) with id “gone12345678”, which another setting refers to, does not exist",
  );
  await expect(alert.getByRole("link")).toHaveCount(0);

  // A TLS strategy that fails to build is linked, by its name.
  await apply.click();
  await expect(alert).toContainText(
    `the TLS strategy (MtaTlsStrategy) with id “${id}” is not valid`,
  );
  await expect(
    alert.getByRole("link", { name: `Open the TLS strategy “${name}”` }),
  ).toHaveAttribute("href", `${LIST_PATH}/${id}`);
  expect(await runningNamed(name)).toBeUndefined();

  await apply.click();
  await expect(notice).toHaveCount(0);
  expect(await runningNamed(name)).toMatchObject({ description: "Pending" });
});

for (const user of ["editor", "half-create", "half-reload"]) {
  test(`without both permissions to reload (${user}), the notice says an administrator must, and no apply is offered`, {
    tag: "@embedded",
  }, async ({ page }) => {
    await signIn(page, server, server.users[user]);
    await expect(page.getByRole("button", { name: "Reload settings" })).toHaveCount(0);
    const name = server.uniqueName("editor");
    await page.getByRole("link", { name: "Create strategy" }).click();
    await expect(page.getByRole("button", { name: "Save and apply" })).toHaveCount(0);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const notice = pendingNotice(page);
    await expect(notice).toContainText(
      "An administrator must reload Stalwart's settings for these changes to take effect",
    );
    await expect(notice).not.toContainText("actionReloadSettings");
    await expect(notice.getByRole("button")).toHaveCount(0);
    await page.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("button", { name: "Save and apply" })).toHaveCount(0);
  });
}

test("the pending list survives a reload and signing in again, and is shared by the tabs", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server);
  const name = server.uniqueName("shared");
  const id = await createThroughApi(server, { name });
  await page.goto(server.url(`${LIST_PATH}/${id}`));
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("2m");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const entry = `${name}: TLS handshake timeout 3m → 2m`;
  await expect(pendingNotice(page).getByRole("listitem").last()).toHaveText(entry);

  await page.reload();
  await expect(pendingNotice(page).getByRole("listitem").last()).toHaveText(entry);
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, server);
  await expect(pendingNotice(page).getByRole("listitem").last()).toHaveText(entry);

  // A second tab of this browser sees the same list, and applying there clears it here.
  const tab = await page.context().newPage();
  await tab.goto(server.url(LIST_PATH));
  const signInHeading = tab.getByRole("heading", { name: "Sign in to Stalwart" });
  await expect(signInHeading.or(pendingNotice(tab))).toBeVisible();
  if (await signInHeading.isVisible()) {
    await tab.getByLabel("Username", { exact: true }).fill(server.admin.username);
    await tab.getByLabel("Password", { exact: true }).fill(server.admin.password);
    await tab.getByRole("button", { name: "Sign in" }).click();
  }
  await expect(pendingNotice(tab).getByRole("listitem").last()).toHaveText(entry);

  // A failed apply shows in both tabs; a successful one in either clears both.
  await failNextReloads(server, [{ type: "validationFailed", description: "Broken tracer" }]);
  await pendingNotice(page).getByRole("button", { name: "Apply now" }).click();
  await expect(pendingNotice(page).getByRole("alert")).toContainText("Broken tracer");
  await expect(pendingNotice(tab).getByRole("alert")).toContainText("Broken tracer");
  await pendingNotice(tab).getByRole("button", { name: "Apply now" }).click();
  await expect(pendingNotice(tab)).toHaveCount(0);
  await expect(pendingNotice(page)).toHaveCount(0);
  await expect(page.getByText("Broken tracer")).toHaveCount(0);
  await tab.close();

  // The list belongs to a user: another one signing in on this browser sees none of it.
  await page.goto(server.url(`${LIST_PATH}/${id}`));
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("90s");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(pendingNotice(page)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, server, server.users.editor);
  await expect(pendingNotice(page)).toHaveCount(0);
});

test("a delete and a bulk delete leave pending entries", async ({ page }) => {
  const prefix = server.uniqueName("gone");
  const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
  for (const name of names) await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${prefix}`);
  await page.getByRole("link", { name: names[0], exact: true }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText(`Deleted “${names[0]}”.`);
  const notice = pendingNotice(page);
  await expect(notice.getByRole("listitem").last()).toHaveText(`${names[0]} deleted`);

  await page.getByRole("checkbox", { name: `Select ${names[1]}` }).check();
  await page.getByRole("checkbox", { name: `Select ${names[2]}` }).check();
  await page.getByRole("button", { name: "Delete selected (2)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText("Deleted 2 strategies.");
  const items = await notice.getByRole("listitem").allTextContents();
  expect(items).toEqual(expect.arrayContaining(names.map((name) => `${name} deleted`)));
});

test("Reload settings applies changes made elsewhere", { tag: "@embedded" }, async ({ page }) => {
  const name = server.uniqueName("elsewhere");
  await createThroughApi(server, { name });
  expect(await runningNamed(name)).toBeUndefined();
  await signIn(page, server);
  await expect(
    page.getByText(/applies every saved change, including those made by other admins/),
  ).toBeVisible();
  await page.getByRole("button", { name: "Reload settings" }).click();
  await expect(page.getByRole("status")).toHaveText(
    /^Applied\. Delivery now uses the saved settings/,
  );
  expect(await runningNamed(name)).toMatchObject({ name });
});

test("Save and apply whose reload fails: saved, not applied, and says why", {
  tag: "@embedded",
}, async ({ page }) => {
  const name = server.uniqueName("half");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await failNextReloads(server, [{ type: "notFound", objectId: { object: "MtaRoute", id: "r9" } }]);
  await page.getByLabel("MTA-STS lookup timeout", { exact: true }).fill("2m");
  await page.getByRole("button", { name: "Save and apply" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  const notice = pendingNotice(page);
  await expect(notice.getByRole("listitem").last()).toHaveText(
    `${name}: MTA-STS lookup timeout 5m → 2m`,
  );
  await expect(notice.getByRole("alert")).toContainText(
    "the route (MtaRoute) with id “r9”, which another setting refers to, does not exist",
  );
  expect(await runningNamed(name)).toBeUndefined();
});

test("a Save and apply whose save fails still reports the reload that ran", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server);
  // Something pending from before.
  const earlier = server.uniqueName("earlier");
  const earlierId = await createThroughApi(server, { name: earlier });
  await page.goto(server.url(`${LIST_PATH}/${earlierId}`));
  await page.getByLabel("Description", { exact: true }).fill("Before");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(pendingNotice(page).getByRole("listitem").last()).toContainText(earlier);

  // A name taken after the page checked it: the create fails, the reload in the same
  // request runs all the same.
  await page.getByRole("link", { name: "Create strategy" }).click();
  const taken = server.uniqueName("taken");
  await page.getByLabel("Name", { exact: true }).fill(taken);
  await expect(page.getByText(`“${taken}” is free.`)).toBeVisible();
  await createThroughApi(server, { name: taken });
  await page.getByRole("button", { name: "Save and apply" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(
    new RegExp(`A strategy named “${taken}” already exists`),
  );
  await expect(page.getByRole("status")).toHaveText(
    "Not saved. The settings were reloaded all the same, so what was saved before is now in effect.",
  );
  await expect(pendingNotice(page)).toHaveCount(0);
  expect(await runningNamed(earlier)).toMatchObject({ description: "Before" });
});

test("a duplicate, an edit and a deletion then re-creation are each pending in words", async ({
  page,
}) => {
  const original = server.uniqueName("orig");
  const id = await createThroughApi(server, { name: original });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${original}`);
  await rowOf(page, original).getByRole("link", { name: "Duplicate" }).click();
  const copy = `${original}-copy`;
  await page.getByLabel("Name", { exact: true }).fill(copy);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const notice = pendingNotice(page);
  await expect(notice.getByRole("listitem").last()).toHaveText(`${copy} created`);

  await page.goto(server.url(`${LIST_PATH}/${id}`));
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByLabel("Search by name").fill(original);
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: original, exact: true }) });
  await expect(row).toContainText("Not applied yet");

  // Deleted here, then created again under the same name: to delivery, a change of values.
  await page.getByRole("link", { name: original, exact: true }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name", { exact: true }).fill(original);
  await page.getByLabel("DANE", { exact: true }).selectOption({ label: "Disabled" });
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await page
    .getByRole("dialog", { name: "Create with warnings?" })
    .getByRole("button", { name: "Create anyway" })
    .click();
  // Compared with what delivery runs with: STARTTLS Required was never applied.
  await expect(
    notice.getByRole("listitem").filter({ hasText: `${original} deleted and created again` }),
  ).toHaveText(`${original} deleted and created again: DANE Optional → Disabled`);
  const items = await notice.getByRole("listitem").allTextContents();
  expect(items.filter((item) => item.startsWith(`${original} `))).toHaveLength(1);
});
