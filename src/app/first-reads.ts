import type { QueryClient } from "@tanstack/react-query";
import { beginOpening } from "../boot/early-replay";
import { prefetchListView } from "../features/tls-strategies/data/prefetch";
import { LIST_PATH } from "../paths";
import { preloadTabSignIn } from "../session/auth";
import { startingClient } from "../session/credentials";
import { preloadSignInPage } from "./router";

/** How long the first render waits for answers the inline script asked for, at most, ms. */
const FIRST_RENDER_WAIT_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the page asks for before its first render, and how long that render waits (README,
 * "Speed"). A reload of a signed-in tab on the list sends its requests now, or has sent them
 * already from index.html's inline script (boot/early-replay.ts): answers on their way are
 * waited for up to FIRST_RENDER_WAIT_MS, so the first render shows the rows instead of
 * "Loading" and a second render. A tab without credentials fetches the code of tab-to-tab
 * sign-in and of the sign-in page side by side. Resolves when the first render may start.
 */
export function startFirstReads(queryClient: QueryClient): Promise<unknown> {
  const client = startingClient();
  if (!client) {
    preloadTabSignIn();
    preloadSignInPage();
    return Promise.resolve();
  }
  if (window.location.pathname !== LIST_PATH) return Promise.resolve();
  const opening = beginOpening();
  const listed = prefetchListView(queryClient, client, window.location.search).then(opening.end);
  return opening.isEarly ? Promise.race([listed, sleep(FIRST_RENDER_WAIT_MS)]) : Promise.resolve();
}
