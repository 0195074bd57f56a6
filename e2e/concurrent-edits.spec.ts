import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  expect,
  expectNoAxeViolations,
  LIST_PATH,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { apiClient, seedStrategies, serverForThisFile } from "./fixtures/server";

// Two browsers each, and an axe scan: more than the default 30 s on a busy 2-core machine.
test.describe.configure({ timeout: 60_000 });

const server = serverForThisFile();

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** Two admins, each in a browser context of their own, with the same strategy open. */
async function twoAdmins(browser: Browser, name: string) {
  const ids = await seedStrategies(server, [name]);
  const id = ids[name] as string;
  const open = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // From the list searched for it, where "back to the list" then returns.
    await signIn(page, server, server.admin, searchPath(name));
    await page.goto(server.url(`${LIST_PATH}/${id}`));
    await expect(page.getByLabel("Name")).toHaveValue(name);
    return page;
  };
  return { id, alice: await open(), bob: await open() };
}

const saveAndWait = async (page: Page, name: string) => {
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
};

test("changes to different fields by two admins are merged without asking", async ({ browser }) => {
  const name = server.uniqueName("merge");
  const { id, alice, bob } = await twoAdmins(browser, name);
  await alice.getByLabel("Description", { exact: true }).fill("Alice's description");
  await saveAndWait(alice, name);

  const posts: string[] = [];
  bob.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.postData() ?? "");
  });
  await bob.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await saveAndWait(bob, name);
  // Re-read, then an update of Bob's field only: two requests.
  expect(posts).toHaveLength(2);
  expect(posts[1]).toContain('"update"');
  expect(posts[1]).not.toContain("description");

  const responses = await apiClient(server).call([
    { id: "g", name: "x:MtaTlsStrategy/get", args: { ids: [id] } },
  ]);
  const got = responses.get("g", {
    safeParse: (v: unknown) => ({ success: true, data: v }),
  } as never) as {
    list: { description: string; startTls: string }[];
  };
  expect(got.list[0]).toMatchObject({ description: "Alice's description", startTls: "require" });
});

test("the same field changed by both opens a dialog with loaded, theirs and mine", async ({
  browser,
}) => {
  const name = server.uniqueName("clash");
  const { id, alice, bob } = await twoAdmins(browser, name);
  await alice.getByLabel("Description", { exact: true }).fill("Alice was here");
  await alice.getByLabel("MTA-STS", { exact: true }).selectOption({ label: "Required" });
  await saveAndWait(alice, name);

  await bob.getByLabel("Description", { exact: true }).fill("Bob was here");
  await bob.getByLabel("MTA-STS", { exact: true }).selectOption({ label: "Disabled" });
  await bob.getByLabel("TLS handshake timeout", { exact: true }).fill("2m");
  await bob.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = bob.getByRole("dialog", { name: "Someone else changed this strategy" });
  await expect(dialog).toBeVisible();
  const description = dialog.getByRole("group", { name: "Description" });
  await expect(description).toContainText("When you opened it: (none)");
  await expect(
    description.getByRole("radio", { name: "Keep theirs: Alice was here" }),
  ).toBeVisible();
  await expect(description.getByRole("radio", { name: "Keep mine: Bob was here" })).toBeChecked();
  const mtaSts = dialog.getByRole("group", { name: "MTA-STS" });
  await expect(mtaSts).toContainText("When you opened it: Optional");
  await mtaSts.getByRole("radio", { name: "Keep theirs: Required" }).check();
  await expectNoAxeViolations(bob);
  // The timeout was changed by Bob alone: no question about it.
  await expect(dialog.getByRole("group", { name: "TLS handshake timeout" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(bob.getByRole("status")).toHaveText(`Saved “${name}”.`);

  await bob.goto(server.url(`${LIST_PATH}/${id}`));
  await expect(bob.getByLabel("Description", { exact: true })).toHaveValue("Bob was here");
  await expect(bob.getByLabel("MTA-STS", { exact: true })).toHaveValue("require");
  await expect(bob.getByLabel("TLS handshake timeout", { exact: true })).toHaveValue("2m");
});

test("a strategy deleted meanwhile can be created again with my values", async ({ browser }) => {
  const name = server.uniqueName("gone");
  const { id, alice, bob } = await twoAdmins(browser, name);
  await alice.getByRole("button", { name: "Delete" }).click();
  await alice.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(alice.getByRole("status")).toHaveText(`Deleted “${name}”.`);

  await bob.getByLabel("Description", { exact: true }).fill("Bob's version");
  await bob.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = bob.getByRole("dialog", { name: `“${name}” was deleted` });
  await dialog.getByRole("button", { name: "Create it again with my values" }).click();
  await expect(bob.getByRole("status")).toHaveText(`Created “${name}” again with your values.`);
  const link = bob.getByRole("link", { name, exact: true });
  await expect(link).toBeVisible();
  await expect(link).not.toHaveAttribute("href", new RegExp(`${id}$`));
  await link.click();
  await expect(bob.getByLabel("Description", { exact: true })).toHaveValue("Bob's version");
});

test("keeping theirs for every clashing field saves nothing of mine and says so", async ({
  browser,
}) => {
  const name = server.uniqueName("theirs");
  const { alice, bob } = await twoAdmins(browser, name);
  await alice.getByLabel("Description", { exact: true }).fill("Alice's");
  await saveAndWait(alice, name);
  await bob.getByLabel("Description", { exact: true }).fill("Bob's");
  await bob.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = bob.getByRole("dialog", { name: "Someone else changed this strategy" });
  await dialog.getByRole("radio", { name: "Keep theirs: Alice's" }).check();
  const posts: string[] = [];
  bob.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.postData() ?? "");
  });
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(bob.getByRole("status").filter({ hasText: "Kept the other" })).toHaveText(
    `Kept the other admin's values for “${name}”; nothing else needed saving.`,
  );
  expect(posts.filter((body) => body.includes("/set"))).toHaveLength(0);
  await expect(
    bob.getByRole("row").filter({ has: bob.getByRole("link", { name, exact: true }) }),
  ).toContainText("Alice's");
});
