import { expect, LIST_PATH, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

test("a fresh server lists its two default strategies with their values", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server);
  await expect(page).toHaveTitle("TLS Strategies · Stalwart");
  const table = page.getByRole("table");
  const headers = table.getByRole("columnheader");
  await expect(headers).toHaveText([
    "Select all strategies on this page",
    "Strategy",
    "Security",
    "Certificates",
    "Timeouts",
    "Actions",
  ]);
  const rows = table.getByRole("row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1).getByRole("cell").or(rows.nth(1).getByRole("rowheader"))).toHaveText([
    "",
    "defaultDefault TLS settingsUsed by the outbound strategy's Otherwise",
    "STARTTLSOptionalDANEOptionalMTA-STSOptional",
    "Invalid certificatesRefused",
    "TLS handshake3mMTA-STS lookup5m",
    "Duplicate",
  ]);
  await expect(rows.nth(2).getByRole("cell").or(rows.nth(2).getByRole("rowheader"))).toHaveText([
    "",
    "invalid-tlsAllow invalid TLS certificatesUsed by the outbound strategy's rule 1Differs from defaults: Allow invalid certificates",
    "STARTTLSOptionalDANEOptionalMTA-STSOptional",
    "Invalid certificatesAccepted",
    "TLS handshake3mMTA-STS lookup5m",
    "Duplicate",
  ]);
  await expect(page.getByText("Showing 1–2 of 2 strategies")).toBeVisible();

  // The list costs one JMAP request: the query and a /get chained by a result reference.
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.postData() ?? "");
  });
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByRole("link", { name: "invalid-tls", exact: true })).toBeVisible();
  expect(posts).toHaveLength(1);
  expect(posts[0]).toContain('"x:MtaTlsStrategy/query"');
  // The outbound strategy (which names are in use) rides along in the same request.
  expect(posts[0]).toMatch(
    /"#ids":\{"resultOf":"(\d+\.)?q","name":"x:MtaTlsStrategy\/query","path":"\/ids"\}/,
  );
  expect(posts[0]).toContain('"x:MtaOutboundStrategy/get"');

  // Names are real links to the edit page.
  const link = page.getByRole("link", { name: "default", exact: true });
  await expect(link).toHaveAttribute(
    "href",
    /\/settings\/mta\/outbound\/tls-strategies\/[a-z0-9]+$/,
  );
  await link.click();
  await expect(page.getByRole("heading", { name: "Edit “default”" })).toBeVisible();
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue("Default TLS settings");
});
