import type { Page } from "@playwright/test";
import {
  createThroughApi,
  expect,
  expectNoAxeViolations,
  failNextReloads,
  LIST_PATH,
  requestsAtServer,
  runningStrategies,
  serverForThisFile,
  signIn,
  test,
  uniqueName,
} from "./fixtures";

// Issue 8: saved is not applied. Stalwart delivers with the settings it loaded until they are
// reloaded (shared wire reference §11); the page says what is pending and applies it.

const READ_WRITE = [
  "sysMtaTlsStrategyGet",
  "sysMtaTlsStrategyQuery",
  "sysMtaTlsStrategyCreate",
  "sysMtaTlsStrategyUpdate",
  "sysMtaTlsStrategyDestroy",
];
const server = serverForThisFile({
  users: [{ name: "editor", password: "editor-password-1", permissions: READ_WRITE }],
});

const pendingNotice = (page: Page) => page.getByRole("region", { name: "Saved, not applied yet" });
const runningNamed = async (name: string) =>
  (await runningStrategies(server)).find((s) => s.name === name);

test("a save is pending until Apply now; only then does delivery use it", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server);
  const name = uniqueName("apply");
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Created “${name}”.`);
  const notice = pendingNotice(page);
  await expect(notice).toContainText(
    "Stalwart keeps delivering with the previous settings until they are reloaded",
  );
  await expect(notice.getByRole("listitem")).toHaveText([`${name} created`]);
  await expect(notice).toContainText("saves made by other admins or tools cannot be seen here");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row).toContainText("Saved, not applied yet");
  await expectNoAxeViolations(page);
  expect(await runningNamed(name)).toBeUndefined();

  await notice.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByRole("status")).toHaveText(
    /^Applied\. Delivery now uses the saved settings on this node\. In a cluster, the other nodes reload on their own/,
  );
  await expect(notice).toHaveCount(0);
  await expect(row).not.toContainText("Saved, not applied yet");
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
  const name = uniqueName("one-request");
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
  const name = uniqueName("failing");
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
    { type: "notFound", objectId: { object: "MtaTlsStrategy", id } },
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

  await apply.click();
  await expect(alert).toContainText(
    `the TLS strategy (MtaTlsStrategy) with id “${id}”, which another setting refers to, does not exist`,
  );
  await expect(alert.getByRole("link", { name: `Open the TLS strategy “${id}”` })).toHaveAttribute(
    "href",
    `${LIST_PATH}/${id}`,
  );
  expect(await runningNamed(name)).toBeUndefined();

  await apply.click();
  await expect(notice).toHaveCount(0);
  expect(await runningNamed(name)).toMatchObject({ description: "Pending" });
});

test("without the permission to reload, the notice says an administrator must, and no apply is offered", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server, server.users.editor);
  await expect(page.getByRole("button", { name: "Reload settings" })).toHaveCount(0);
  const name = uniqueName("editor");
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

test("the pending list survives a reload and signing in again, and is shared by the tabs", async ({
  page,
}) => {
  await signIn(page, server);
  const name = uniqueName("shared");
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
  await pendingNotice(tab).getByRole("button", { name: "Apply now" }).click();
  await expect(pendingNotice(tab)).toHaveCount(0);
  await expect(pendingNotice(page)).toHaveCount(0);
  await tab.close();
});

test("a delete and a bulk delete leave pending entries", async ({ page }) => {
  const prefix = uniqueName("gone");
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
  const name = uniqueName("elsewhere");
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
