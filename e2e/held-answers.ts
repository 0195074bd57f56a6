import type { Page } from "@playwright/test";

/**
 * Holds the answer to the next JMAP request whose body matches `when`: the server answers at
 * once (with what it holds at that moment), and the page gets that answer only on
 * `release()`. For stories where an answer that left earlier lands after something else.
 */
export async function holdNextAnswer(page: Page, when: (body: string) => boolean) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let isTaken = false;
  await page.route("**/jmap/", async (route) => {
    const body = route.request().postData() ?? "";
    if (isTaken || route.request().method() !== "POST" || !when(body)) return route.fallback();
    isTaken = true;
    const response = await route.fetch();
    markHeld();
    await released;
    await route.fulfill({ response });
  });
  return { held, release };
}

/**
 * Holds the next JMAP request whose body matches `when` before it reaches the server, until
 * `release()`: a slow write, with the page waiting for its answer.
 */
export async function holdNextRequest(page: Page, when: (body: string) => boolean) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let isTaken = false;
  await page.route("**/jmap/", async (route) => {
    const body = route.request().postData() ?? "";
    if (isTaken || route.request().method() !== "POST" || !when(body)) return route.fallback();
    isTaken = true;
    markHeld();
    await released;
    await route.continue();
  });
  return { held, release };
}

/** A JMAP body that writes strategies. */
export const isStrategyWrite = (body: string) => body.includes('"x:MtaTlsStrategy/set"');

/** A JMAP body that reads a list page and writes nothing. */
export const isListRead = (body: string) =>
  body.includes('"x:MtaTlsStrategy/query"') && !body.includes("/set");
