import type { Page, Request } from "@playwright/test";
import { isApi, type Running } from "../server";
import { sleep } from "../settings";
import type { BenchState, BenchWindow } from "./page-state";

// What an admin does on the list, timed from the click until its result is on screen.

/** How long a user rests the mouse on a link before clicking it, ms. */
export const HOVER_MS = 150;

/** Waits for a watch of the init script to see its condition; gives its time, ms. */
async function markOf(page: Page, key: string) {
  await page.waitForFunction(
    (key) => ((window as unknown as BenchWindow).__bench as BenchState).marks[key] !== undefined,
    key,
    {
      timeout: 30_000,
      polling: 50,
    },
  );
  return page.evaluate((key) => {
    const state = (window as unknown as BenchWindow).__bench as BenchState;
    return {
      at: state.marks[key] as number,
      clickAt: state.clickAt ?? Number.NaN,
      loading: state.sawLoading[key] ?? null,
      stale: state.sawStale[key] === true,
    };
  }, key);
}

export interface Known {
  name: string;
  description: string;
}

/**
 * Click → form as a user does it: the mouse rests on the strategy's name link for 150 ms,
 * then clicks. From the click event's timeStamp until the edit form's Name field holds the
 * name and its Description field the stored description, ms; and the requests the server
 * received from the hover until then (+ 300 ms).
 */
export async function clickToForm(page: Page, server: Running, known: Known) {
  const from = server.log.length;
  const link = page.getByRole("table").getByRole("link", { name: known.name, exact: true });
  await link.hover();
  await sleep(HOVER_MS);
  await page.evaluate(
    ([name, description]) =>
      ((window as unknown as BenchWindow).__bench as BenchState).watchForm(name, description),
    [known.name, known.description] as const,
  );
  const beforeClick = server.log.length - from;
  await link.click();
  const seen = await markOf(page, "form");
  await sleep(300);
  const requests = server.log.slice(from);
  return {
    ms: Math.round(seen.at - seen.clickAt),
    requests: requests.length,
    /** Of those, the ones that reached the server while the mouse rested on the link. */
    beforeClick,
    paths: requests.map((r) => `${r.method} ${r.path}`),
    loadingShown: seen.loading,
  };
}

/**
 * Save → list: on the open edit form, a new description, then a click on "Save". From the
 * click event's timeStamp until the list row of that strategy shows the new description,
 * ms; and the requests the page sent from the click until then (+ 300 ms), in the order it
 * sent them: the first API request is the re-read; what follows it should be one request.
 */
export async function saveToList(page: Page, known: Known, description: string) {
  await page.getByLabel("Description", { exact: true }).fill(description);
  const sent: string[] = [];
  const onRequest = (request: Request) =>
    sent.push(`${request.method()} ${new URL(request.url()).pathname}`);
  page.on("request", onRequest);
  try {
    await page.evaluate(
      ([name, description]) =>
        ((window as unknown as BenchWindow).__bench as BenchState).watchRow(name, description),
      [known.name, description] as const,
    );
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const seen = await markOf(page, "row");
    await sleep(300);
    const reread = sent.findIndex((r) => isApi(r.split(" ")[1] ?? ""));
    return {
      ms: Math.round(seen.at - seen.clickAt),
      requests: sent.length,
      afterReread: reread < 0 ? sent.length : sent.length - reread - 1,
      paths: [...sent],
      loadingShown: seen.loading,
      staleShown: seen.stale,
    };
  } finally {
    page.off("request", onRequest);
  }
}
