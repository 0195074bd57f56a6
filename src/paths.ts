// Every page path of this page, and which part of index.html's frame each shows before its
// script runs: the one home of these facts, used by the routes (app/), the features, the
// server's page routes (server/http/pages.ts), the end-to-end stories and the bench. No
// imports: every layer may use it.

/** Settings › MTA › Outbound › TLS Strategies: the list. */
export const LIST_PATH = "/settings/mta/outbound/tls-strategies";
/** The form that creates a strategy (`?from=<id>` duplicates one). */
export const CREATE_PATH = `${LIST_PATH}/new`;
/** Test a destination: what each strategy does for a recipient domain (`?target=`). */
export const TEST_PATH = `${LIST_PATH}/test`;
/** Which strategy applies where: the outbound strategy's `tls` rules. */
export const RULES_PATH = `${LIST_PATH}/rules`;
/** Sign in (`?next=<path>` leads back). */
export const SIGN_IN_PATH = "/sign-in";

/** The edit page of the strategy `id`. */
export const editPath = (id: string) => `${LIST_PATH}/${encodeURIComponent(id)}`;
/** The create form, starting from the values of the strategy `id`. */
export const duplicatePath = (id: string) => `${CREATE_PATH}?from=${encodeURIComponent(id)}`;
/** The destination test, for `target` when given. */
export const testPath = (target?: string) =>
  target ? `${TEST_PATH}?target=${encodeURIComponent(target)}` : TEST_PATH;
/** The sign-in page, leading back to `next` (a path of this page). */
export const signInPath = (next: string) => `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`;

/**
 * The paths the server answers with the page (index.html): "/", the sign-in page, the list
 * and any path one level below it (a strategy, the create form, the test, the rules).
 */
export const PAGE_ROUTE = /^\/(sign-in|settings\/mta\/outbound\/tls-strategies(\/[^/]+)?)?\/?$/;

/**
 * Which part of index.html's frame a path shows before the script runs: the list's frame on
 * the list (and "/", which redirects there), the header and breadcrumb on the views below it,
 * nothing on the sign-in page (its own page is drawn by the script) or a path that is none.
 */
export type Frame = "list" | "layout" | "none";

export function frameOf(path: string): Frame {
  const normalized = path.replace(/\/$/, "");
  if (normalized === LIST_PATH || normalized === "") return "list";
  if (normalized.startsWith(`${LIST_PATH}/`)) return "layout";
  return "none";
}
