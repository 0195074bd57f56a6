import {
  countApiRequests,
  createStrategy,
  expect,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { seedStrategies, serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

test("an admin creates a strategy with 90s and 2m and sees it listed as such", async ({ page }) => {
  const name = server.uniqueName("relay");
  // From the list searched for the name about to be created: the list it returns to.
  await signIn(page, server, server.admin, searchPath(name));
  await page.getByRole("link", { name: "Create strategy" }).click();
  await expect(page).toHaveTitle(/Create strategy/);

  // The form starts from the server's defaults.
  await expect(page.getByLabel("DANE", { exact: true })).toHaveValue("optional");
  await expect(page.getByLabel("MTA-STS", { exact: true })).toHaveValue("optional");
  await expect(page.getByLabel("STARTTLS", { exact: true })).toHaveValue("optional");
  await expect(page.getByLabel("Allow invalid certificates", { exact: true })).not.toBeChecked();
  await expect(page.getByLabel("TLS handshake timeout", { exact: true })).toHaveValue("3m");
  await expect(page.getByLabel("MTA-STS lookup timeout", { exact: true })).toHaveValue("5m");
  await expect(
    page.getByText("Maximum time to wait for the TLS handshake to complete."),
  ).toBeVisible();

  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description", { exact: true }).fill("Partner relay");
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("90s");
  await expect(page.getByText("= 1 minute 30 seconds")).toBeVisible();
  await page.getByLabel("MTA-STS lookup timeout", { exact: true }).fill("2m");
  await expect(page.getByText("= 2 minutes")).toBeVisible();
  await page.getByRole("button", { name: "Create", exact: true }).click();

  await expect(page.getByRole("status")).toHaveText(`Created “${name}”.`);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row.getByRole("rowheader")).toContainText("Partner relay");
  await expect(row.getByRole("cell")).toHaveText([
    "",
    "STARTTLSRequiredDANEOptionalMTA-STSOptional",
    "Invalid certificatesRefused",
    "TLS handshake1m 30sMTA-STS lookup2m",
    "Duplicate",
  ]);
});

test("invalid durations and names show errors and send nothing", async ({ page }) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  await expect(page.getByLabel("Name")).toBeVisible();
  const requests = countApiRequests(page);

  const name = page.getByLabel("Name");
  const tlsTimeout = page.getByLabel("TLS handshake timeout", { exact: true });
  const create = page.getByRole("button", { name: "Create", exact: true });

  await create.click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Enter a name\./);

  await name.fill("has space");
  await create.click();
  await expect(name).toHaveAccessibleDescription(/Use only letters, digits/);
  await expect(name).toHaveValue("has space");

  await name.fill("valid-name");
  for (const [typed, message] of [
    ["", /Enter a duration/],
    ["0s", /longer than zero/],
    ["-5m", /must be positive/],
    ["1.5ms", /whole numbers/],
    ["90", /Add a unit/],
    ["soon", /is not a duration/],
  ] as const) {
    await tlsTimeout.fill(typed);
    await create.click();
    await expect(tlsTimeout).toHaveAttribute("aria-invalid", "true");
    await expect(tlsTimeout).toHaveAccessibleDescription(message);
    await expect(tlsTimeout).toHaveAccessibleDescription(/500ms, 90s, 5m, 1h, 1h30m or 2d/);
    await expect(tlsTimeout).toHaveValue(typed);
  }
  await tlsTimeout.fill("1H 30M");
  await expect(tlsTimeout).toHaveAttribute("aria-invalid", "false");
  await expect(page.getByText("= 1 hour 30 minutes")).toBeVisible();
  expect(requests.changes).toBe(0);
});

test("a taken name is flagged while typing, with a link to the existing strategy", async ({
  page,
}) => {
  await signIn(page, server);
  const name = server.uniqueName("dup");
  await createStrategy(page, { name, description: "First" });

  await page.getByRole("link", { name: "Create strategy" }).click();
  const nameField = page.getByLabel("Name");
  await nameField.fill(`${name}-2`);
  await expect(page.getByText(`“${name}-2” is free.`)).toBeVisible();
  const requests = countApiRequests(page);
  await nameField.fill(name);
  await expect(nameField).toHaveAccessibleDescription(
    new RegExp(`A strategy named “${name}” already exists`),
  );
  await page.getByLabel("Description", { exact: true }).fill("Second");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(nameField).toHaveAttribute("aria-invalid", "true");
  // At most one exact-name query while typing (none when the page still knows the name it
  // just created); the create itself was never sent.
  expect(requests.count).toBeLessThanOrEqual(1);
  expect(requests.changes).toBe(0);

  await page.getByRole("link", { name: `Open “${name}”` }).click();
  // The form has unsaved input: leaving asks first.
  await page
    .getByRole("dialog", { name: "Leave without saving?" })
    .getByRole("button", { name: "Leave" })
    .click();
  await expect(page.getByRole("heading", { name: `Edit “${name}”` })).toBeVisible();
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue("First");
});

test("a name taken between the check and the click shows the server's conflict", async ({
  page,
}) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  const name = server.uniqueName("race");
  await page.getByLabel("Name").fill(name);
  await expect(page.getByText(`“${name}” is free.`)).toBeVisible();
  const [id] = Object.values(await seedStrategies(server, [name]));
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const nameField = page.getByLabel("Name");
  await expect(nameField).toHaveAttribute("aria-invalid", "true");
  await expect(nameField).toHaveAccessibleDescription(
    new RegExp(`A strategy named “${name}” already exists`),
  );
  await expect(page.getByRole("link", { name: `Open “${name}”` })).toHaveAttribute(
    "href",
    new RegExp(`${id}$`),
  );
});
