import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  createThroughApi,
  destroyThroughApi,
  readThroughApi,
  updateThroughApi,
} from "./fixtures/api";
import {
  expect,
  expectNoAxeViolations,
  LIST_PATH,
  recordUpdates,
  refetchInBackground,
  rowOf,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// The edit path never loses typed work, never writes a field nobody touched, and never saves
// what its own review forbids (README, "Edits that never go wrong quietly"). One story per
// class of fault; over 400 lines on purpose, as the README section reads them in order.

const server = serverForThisFile();

/** Signs in on the list searched for `name` (where "back to the list" returns), then opens it. */
async function openStrategy(page: Page, id: string, name: string) {
  await signIn(page, server, server.admin, searchPath(name));
  await page.goto(server.url(`${LIST_PATH}/${id}`));
  await expect(page.getByRole("heading", { name: new RegExp(`Edit “${name}”`) })).toBeVisible();
}

const description = (page: Page) => page.getByLabel("Description", { exact: true });
const tlsTimeout = (page: Page) => page.getByLabel("TLS handshake timeout", { exact: true });

test.describe("a field is changed only when its meaning changed", () => {
  test("changing the timeout sends the timeout alone; the untouched description stays as stored, and another admin's description is kept without a clash", async ({
    page,
  }) => {
    const name = server.uniqueName("meaning");
    const stored = "  Relay for partner domains ";
    const id = await createThroughApi(server, { name, description: stored });
    await openStrategy(page, id, name);
    await expect(description(page)).toHaveValue(stored);
    const updates = recordUpdates(page);

    await tlsTimeout(page).fill("90s");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
    expect(updates).toEqual([{ [id]: { tlsTimeout: 90_000 } }]);
    expect(await readThroughApi(server, id)).toMatchObject({
      description: stored,
      tlsTimeout: 90_000,
    });

    // Someone else changes the description while this admin changes only the timeout: their
    // description is kept, and nobody is asked about a field this admin never touched.
    await page.getByRole("link", { name, exact: true }).click();
    await expect(description(page)).toHaveValue(stored);
    await updateThroughApi(server, { [id]: { description: "Changed by Bob" } });
    await tlsTimeout(page).fill("2m");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect(updates[1]).toEqual({ [id]: { tlsTimeout: 120_000 } });
    await expect(page.getByText("Also kept, as someone else changed them")).toBeVisible();
    expect(await readThroughApi(server, id)).toMatchObject({
      description: "Changed by Bob",
      tlsTimeout: 120_000,
    });
  });

  test("a blank stored description is not turned into null by an unrelated save", async ({
    page,
  }) => {
    const name = server.uniqueName("blank");
    const id = await createThroughApi(server, { name, description: "   " });
    await openStrategy(page, id, name);
    const updates = recordUpdates(page);
    await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
    expect(updates).toEqual([{ [id]: { startTls: "require" } }]);
    expect(await readThroughApi(server, id)).toMatchObject({ description: "   " });
  });

  test("180s where 3m is stored is no change: nothing to save, and leaving does not ask", async ({
    page,
  }) => {
    const name = server.uniqueName("same");
    const id = await createThroughApi(server, { name });
    await openStrategy(page, id, name);
    await tlsTimeout(page).fill("180s");
    await expect(page.getByText("= 3 minutes")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog", { name: "Leave without saving?" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Create strategy" })).toBeVisible();
  });
});

test.describe("a form with unsaved input is never replaced by a background result", () => {
  test("deleted by someone else while typing: a notice, the values stay, and Save creates it again", async ({
    page,
  }) => {
    await page.clock.install();
    const name = server.uniqueName("deleted");
    const id = await createThroughApi(server, { name });
    await openStrategy(page, id, name);
    await description(page).fill("Typed before the deletion");
    await destroyThroughApi(server, [id]);
    await refetchInBackground(page);
    await expect(
      page.getByText(/was deleted by someone else while you were editing it/),
    ).toBeVisible();
    await expect(description(page)).toHaveValue("Typed before the deletion");

    await page.getByRole("button", { name: "Save", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `“${name}” was deleted` });
    await dialog.getByRole("button", { name: "Create it again with my values" }).click();
    await expect(page.getByRole("status")).toHaveText(`Created “${name}” again with your values.`);
    await page.getByRole("link", { name, exact: true }).click();
    await expect(description(page)).toHaveValue("Typed before the deletion");
  });

  test("an untouched form deleted by someone else says so instead of showing a form", async ({
    page,
  }) => {
    await page.clock.install();
    const name = server.uniqueName("gone-quiet");
    const id = await createThroughApi(server, { name });
    await openStrategy(page, id, name);
    await destroyThroughApi(server, [id]);
    await refetchInBackground(page);
    await expect(page.getByRole("heading", { name: "Strategy not found" })).toBeVisible();
    await expect(
      page.getByText(`The TLS strategy “${name}” was deleted by someone else.`),
    ).toBeVisible();
  });

  test("a 503 on the background read: a notice with a retry beside the intact form", async ({
    page,
  }) => {
    await page.clock.install();
    const name = server.uniqueName("read-503");
    const id = await createThroughApi(server, { name });
    await openStrategy(page, id, name);
    await description(page).fill("Typed during the outage");
    await page.route("**/jmap/", (route) =>
      route.request().postData()?.includes("x:MtaTlsStrategy/get")
        ? route.fulfill({ status: 503, body: "Service Unavailable" })
        : route.continue(),
    );
    await refetchInBackground(page);
    const notice = page.getByRole("alert").filter({ hasText: "Could not check this strategy" });
    // Reads are retried twice with a pause before the failure is shown.
    await expect(notice).toContainText("The server answered 503", { timeout: 15_000 });
    await expect(description(page)).toHaveValue("Typed during the outage");
    await expect(page.getByRole("heading", { name: `Edit “${name}”` })).toBeVisible();

    await page.unrouteAll();
    await notice.getByRole("button", { name: "Check again" }).click();
    await expect(notice).toHaveCount(0);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
    expect(await readThroughApi(server, id)).toMatchObject({
      description: "Typed during the outage",
    });
  });

  test("a 401 on the background read: sign in over the intact form, then save", async ({
    page,
  }) => {
    await page.clock.install();
    const name = server.uniqueName("read-401");
    const id = await createThroughApi(server, { name });
    await openStrategy(page, id, name);
    await description(page).fill("Typed before the 401");
    await page.route("**/jmap/", (route) =>
      route.fulfill({
        status: 401,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "about:blank", status: 401, title: "Unauthorized" }),
      }),
    );
    await refetchInBackground(page);
    const dialog = page.getByRole("dialog", { name: "Sign in again" });
    await expect(dialog).toBeVisible();
    await page.unrouteAll();
    await dialog.getByLabel("Password", { exact: true }).fill(server.admin.password);
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog).toBeHidden();
    await expect(description(page)).toHaveValue("Typed before the 401");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  });

  test("duplicating: the source deleted while the new name is typed leaves the form alone", async ({
    page,
  }) => {
    await page.clock.install();
    const source = server.uniqueName("source");
    const id = await createThroughApi(server, { name: source, description: "Copied" });
    await signIn(page, server, server.admin, `${LIST_PATH}/new?from=${id}`);
    await expect(page.getByRole("heading", { name: `Duplicate “${source}”` })).toBeVisible();
    const copy = server.uniqueName("copy");
    await page.getByLabel("Name", { exact: true }).fill(copy);
    await destroyThroughApi(server, [id]);
    await refetchInBackground(page);
    await page.clock.fastForward(1_000);
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(copy);
    await expect(description(page)).toHaveValue("Copied");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Created “${copy}”.`);
  });

  test("a background 401 while the sign-in dialog is open keeps the page and its selection", async ({
    page,
  }) => {
    await page.clock.install();
    const name = server.uniqueName("selected");
    await createThroughApi(server, { name });
    await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
    await page.getByRole("checkbox", { name: `Select ${name}` }).check();
    await page.route("**/jmap/", (route) =>
      route.fulfill({
        status: 401,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "about:blank", status: 401, title: "Unauthorized" }),
      }),
    );
    await page.getByRole("button", { name: "Delete selected (1)" }).click();
    await page
      .getByRole("dialog", { name: `Delete “${name}”?` })
      .getByRole("button", {
        name: "Delete",
      })
      .click();
    const signInAgain = page.getByRole("dialog", { name: "Sign in again" });
    await expect(signInAgain).toBeVisible();
    await refetchInBackground(page);
    await page.clock.fastForward(1_000);
    await expect(signInAgain).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`${LIST_PATH}\\?q=`));
    await page.unrouteAll();
    await signInAgain.getByLabel("Password", { exact: true }).fill(server.admin.password);
    await signInAgain.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("status")).toHaveText(`Deleted “${name}”.`);
  });

  test("an untouched form shows another admin's change; a touched one keeps its input and says what changed", async ({
    page,
  }) => {
    await page.clock.install();
    const name = server.uniqueName("news");
    const id = await createThroughApi(server, { name });
    await openStrategy(page, id, name);
    await updateThroughApi(server, { [id]: { startTls: "require" } });
    await refetchInBackground(page);
    await expect(page.getByLabel("STARTTLS", { exact: true })).toHaveValue("require");
    await expect(page.getByText("the form now shows what is stored")).toBeVisible();

    await description(page).fill("Mine");
    await updateThroughApi(server, { [id]: { dane: "disable" } });
    await refetchInBackground(page);
    const notice = page.getByRole("status").filter({ hasText: "since you opened it" });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(
      "Someone else changed this strategy since you opened it: DANE Optional → Disabled.",
    );
    // What was typed stays; a field not touched shows their value, with its review.
    await expect(description(page)).toHaveValue("Mine");
    await expect(page.getByLabel("DANE", { exact: true })).toHaveValue("disable");
    await expect(page.getByLabel("DANE", { exact: true })).toHaveAccessibleDescription(
      /DANE is Disabled/,
    );
  });
});

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** Two admins, each in a browser context of their own, with the same strategy open. */
async function twoAdmins(browser: Browser, name: string) {
  const id = await createThroughApi(server, { name });
  const open = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await openStrategy(page, id, name);
    return page;
  };
  return { id, alice: await open(), bob: await open() };
}

test("what is saved is what was reviewed: a merge that the review forbids is refused, and the other admin's change is named", async ({
  browser,
}) => {
  const name = server.uniqueName("merged");
  const { id, alice, bob } = await twoAdmins(browser, name);
  await description(alice).fill("Alice's description");

  await bob.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Disabled" });
  await bob.getByRole("button", { name: "Save", exact: true }).click();
  await bob
    .getByRole("dialog", { name: "Save with warnings?" })
    .getByRole("button", { name: "Save anyway" })
    .click();
  await expect(bob.getByRole("status")).toHaveText(`Saved “${name}”.`);

  // Alice never saw STARTTLS Disabled: her save would keep it, so she is asked first, and
  // told that it is Bob's.
  const updates = recordUpdates(alice);
  await alice.getByRole("button", { name: "Save", exact: true }).click();
  const confirm = alice.getByRole("dialog", { name: "Save with warnings?" });
  await expect(confirm).toContainText("STARTTLS is Disabled: mail leaves in plain text");
  await expect(confirm).toContainText(
    "Changed by someone else since you opened it: STARTTLS Optional → Disabled.",
  );
  await expect(confirm).toContainText("Description: (none) → Alice's description");
  await confirm.getByRole("button", { name: "Go back" }).click();
  expect(updates).toEqual([]);
  // Her form now shows Bob's STARTTLS beside her description.
  await expect(alice.getByLabel("STARTTLS", { exact: true })).toHaveValue("disable");
  await expect(description(alice)).toHaveValue("Alice's description");

  // DANE Required merged with Bob's STARTTLS Disabled can never deliver mail: refused, with
  // the reason and Bob's change named.
  await alice.getByLabel("DANE", { exact: true }).selectOption({ label: "Required" });
  await alice.getByRole("button", { name: "Save", exact: true }).click();
  const refusal = alice.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(refusal).toContainText("STARTTLS is Disabled while DANE is Required");
  await expect(refusal).toContainText(
    "Changed by someone else since you opened it: STARTTLS Optional → Disabled.",
  );
  expect(updates).toEqual([]);
  expect(await readThroughApi(server, id)).toMatchObject({
    startTls: "disable",
    dane: "optional",
    description: null,
  });

  // Back on DANE Optional, the warning she has now seen on screen is not asked again.
  await alice.getByLabel("DANE", { exact: true }).selectOption({ label: "Optional" });
  await alice.getByRole("button", { name: "Save", exact: true }).click();
  await expect(alice.getByRole("status")).toHaveText(`Saved “${name}”.`);
  expect(updates).toEqual([{ [id]: { description: "Alice's description" } }]);
});

test("a change made while the admin reads the warning is merged and reviewed again before writing", async ({
  page,
}) => {
  const name = server.uniqueName("race");
  const id = await createThroughApi(server, { name });
  await openStrategy(page, id, name);
  const updates = recordUpdates(page);
  await page.getByLabel("DANE", { exact: true }).selectOption({ label: "Required" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Save with warnings?" });
  await expect(confirm).toContainText("DANE is Required");
  // While the dialog is open, someone else disables STARTTLS.
  await updateThroughApi(server, { [id]: { startTls: "disable" } });
  await confirm.getByRole("button", { name: "Save anyway" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(refusal).toContainText("STARTTLS is Disabled while DANE is Required");
  await expect(refusal).toBeFocused();
  expect(updates).toEqual([]);
  // The form now shows their STARTTLS beside her DANE, and the review beside the fields.
  await expect(page.getByLabel("STARTTLS", { exact: true })).toHaveValue("disable");
  await expect(page.getByLabel("DANE", { exact: true })).toHaveValue("require");
  await expect(page.getByLabel("STARTTLS", { exact: true })).toHaveAccessibleDescription(
    /Error: STARTTLS is Disabled while DANE is Required/,
  );
  await expectNoAxeViolations(page);
  // Settling it is possible: her STARTTLS replaces theirs.
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page
    .getByRole("dialog", { name: "Save with warnings?" })
    .getByRole("button", { name: "Save anyway" })
    .click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  expect(await readThroughApi(server, id)).toMatchObject({ startTls: "require", dane: "require" });
});

test("Try again saves what is on screen now, not what failed", async ({ page }) => {
  const name = server.uniqueName("retry");
  const id = await createThroughApi(server, { name });
  await openStrategy(page, id, name);
  await description(page).fill("first");
  await page.route("**/jmap/", (route) =>
    route.request().postData()?.includes("x:MtaTlsStrategy/set")
      ? route.fulfill({ status: 503, body: "Service Unavailable" })
      : route.continue(),
  );
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("The server answered 503");
  await page.unrouteAll();
  await description(page).fill("second");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  expect(await readThroughApi(server, id)).toMatchObject({ description: "second" });
});

test.describe("client rules are never stricter than the server for what already exists", () => {
  for (const label of ["eu relay", "défaut"]) {
    test(`a stored name like “${label}” stays savable`, async ({ page }) => {
      const name = `${server.uniqueName("x")}-${label}`;
      const id = await createThroughApi(server, { name });
      await openStrategy(page, id, name);
      await description(page).fill("Saved despite the name");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
      expect(await readThroughApi(server, id)).toMatchObject({
        description: "Saved despite the name",
      });
    });
  }

  test("a stored name with a space at its end is not a change, and shows the space", async ({
    page,
  }) => {
    const name = `${server.uniqueName("spaced")} `;
    const id = await createThroughApi(server, { name });
    await signIn(page, server, server.admin, `${LIST_PATH}?q=${encodeURIComponent(name)}`);
    await expect(page.getByRole("table").getByRole("rowheader").getByRole("link")).toHaveText(
      `${name.trimEnd()}⟨U+0020⟩`,
    );
    await page.goto(server.url(`${LIST_PATH}/${id}`));
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
    await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog", { name: "Leave without saving?" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Create strategy" })).toBeVisible();
  });

  test("a new name may use letters of any alphabet, never a direction-changing character", async ({
    page,
  }) => {
    await signIn(page, server);
    await page.getByRole("link", { name: "Create strategy" }).click();
    const nameField = page.getByLabel("Name", { exact: true });
    await nameField.fill(`${server.uniqueName("x")}-\u202Etluafed`);
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(nameField).toHaveAccessibleDescription(/U\+202E.*pass for another name/);
    const accented = `${server.uniqueName("x")}-défaut`;
    await nameField.fill(accented);
    await expect(page.getByText(`“${accented}” is free.`)).toBeVisible();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Created “${accented}”.`);
  });
});

test("every setting that lowers protection is reviewed beside its field; a finding already stored is not asked again", async ({
  page,
}) => {
  const name = server.uniqueName("certs");
  const id = await createThroughApi(server, { name });
  await openStrategy(page, id, name);
  const certificates = page.getByLabel("Allow invalid certificates", { exact: true });
  await certificates.check();
  await expect(certificates).toHaveAccessibleDescription(/Invalid certificates are accepted/);
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await expect(page.getByLabel("STARTTLS", { exact: true })).toHaveAccessibleDescription(
    /STARTTLS is Required but invalid certificates are accepted.*passive eavesdropping/,
  );
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Optional" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Save with warnings?" });
  await expect(confirm).toContainText("Invalid certificates are accepted");
  await expect(confirm).toContainText("Allow invalid certificates: No → Yes");
  await confirm.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);

  // Stored with its warning: editing the description shows it but does not ask again.
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("region", { name: "Security review" })).toContainText(
    "Invalid certificates are accepted",
  );
  await description(page).fill("Only the description");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
});

test.describe("the cache agrees with the server after this admin's own change", () => {
  test("a strategy deleted on a name-sorted view is gone from the newest-first view at once", async ({
    page,
  }) => {
    const prefix = server.uniqueName("cache");
    const names = [`${prefix}-a`, `${prefix}-b`];
    for (const name of names) await createThroughApi(server, { name });
    await signIn(page, server, server.admin, `${LIST_PATH}?q=${prefix}&sort=newest`);
    const links = page.getByRole("table").getByRole("rowheader").getByRole("link");
    await expect(links).toHaveText([names[1] as string, names[0] as string]);
    await page.getByLabel("Sort by").selectOption({ label: "Name (A→Z)" });
    await expect(links).toHaveText(names);
    await page.getByRole("link", { name: names[0], exact: true }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("status")).toHaveText(`Deleted “${names[0]}”.`);

    // Hold every list request: what shows now comes from the cache alone.
    await page.route("**/jmap/", () => undefined);
    await page.getByLabel("Sort by").selectOption({ label: "Newest first" });
    await expect(links).toHaveText([names[1] as string]);
    await expect(page.getByRole("link", { name: names[0], exact: true })).toHaveCount(0);
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  test("an update shows on every cached view at once, and a created name is known as taken", async ({
    page,
  }) => {
    const prefix = server.uniqueName("values");
    const name = `${prefix}-a`;
    await createThroughApi(server, { name });
    await signIn(page, server, server.admin, `${LIST_PATH}?q=${prefix}&sort=newest`);
    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row).toContainText("Optional");
    await page.getByLabel("Sort by").selectOption({ label: "Name (A→Z)" });
    await page.getByRole("link", { name, exact: true }).click();
    await page.getByLabel("MTA-STS", { exact: true }).selectOption({ label: "Required" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);

    await page.route("**/jmap/", () => undefined);
    await page.getByLabel("Sort by").selectOption({ label: "Newest first" });
    await expect(row).toContainText("Required");
    await page.unrouteAll({ behavior: "ignoreErrors" });

    const created = `${prefix}-b`;
    await page.getByRole("link", { name: "Create strategy" }).click();
    await page.getByLabel("Name", { exact: true }).fill(created);
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(`Created “${created}”.`);
    await page.route("**/jmap/", () => undefined);
    await page.getByRole("link", { name: "Create strategy" }).click();
    await page.getByLabel("Name", { exact: true }).fill(created);
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(
      new RegExp(`A strategy named “${created}” already exists`),
    );
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  test("a selection drops what the server reports gone", async ({ page }) => {
    const prefix = server.uniqueName("select");
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    const ids: string[] = [];
    for (const name of names) ids.push(await createThroughApi(server, { name }));
    await signIn(page, server, server.admin, `${LIST_PATH}?q=${prefix}`);
    for (const name of names) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
    await destroyThroughApi(server, [ids[1] as string]);
    await page.getByRole("button", { name: "Delete selected (3)" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("alert")).toContainText(`“${names[1]}”: it no longer exists`);
    await expect(page.getByRole("button", { name: /Delete selected \([1-9]/ })).toHaveCount(0);
  });
});

test("a name with a direction override cannot impersonate another, wherever it is shown", async ({
  page,
}) => {
  // "e2e-" keeps the live-server rule; the override then turns the rest around.
  const spoof = `${server.uniqueName("x")}-\u202Etluafed`;
  const shown = spoof.replace("\u202E", "⟨U+202E⟩");
  const id = await createThroughApi(server, { name: spoof, description: "\u202Esgnittes SLT" });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${encodeURIComponent(spoof)}`);
  const link = page.getByRole("table").getByRole("rowheader").getByRole("link");
  await expect(link).toHaveText(shown);
  // Isolated from the text around it, so it cannot reorder that either.
  await expect(link.locator("bdi")).toHaveCount(1);
  await expect(page.getByRole("table")).toContainText("⟨U+202E⟩sgnittes SLT");
  await expect(page.getByRole("checkbox", { name: `Select ${shown}` })).toBeVisible();
  await expect(rowOf(page, shown).getByRole("link", { name: "Duplicate" })).toBeVisible();
  await expectNoAxeViolations(page);

  await link.click();
  await expect(page).toHaveTitle(`${shown} · TLS Strategies · Stalwart`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Edit “${shown}”`);
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(
    new RegExp(
      `invisible or direction-changing characters, shown here as ${shown.replace(/[+()]/g, "\\$&")}`,
    ),
  );
  await description(page).fill("Renamed? No.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${shown}”.`);
  await page.getByRole("link", { name: shown, exact: true }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("dialog", { name: `Delete “${shown}”?` })).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText(`Deleted “${shown}”.`);
  expect(await readThroughApi(server, id)).toBeNull();
});
