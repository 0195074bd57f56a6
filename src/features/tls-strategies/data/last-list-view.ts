import { LIST_PATH } from "../../../paths";
import { type ListView, listSearch, parseListView } from "../model/list-params";


// Where "back to the list" goes: the page, sort and search the admin last looked at.
const KEY = "stalwart-tls-strategies.list-view";

export function rememberListView(search: string): void {
  try {
    sessionStorage.setItem(KEY, search);
  } catch {
    // Storage may be unavailable (private mode quotas); the list then opens at its defaults.
  }
}

export function lastListView(): ListView {
  let stored = "";
  try {
    stored = sessionStorage.getItem(KEY) ?? "";
  } catch {
    stored = "";
  }
  return parseListView(new URLSearchParams(stored));
}

export function lastListPath(): string {
  return LIST_PATH + listSearch(lastListView());
}
