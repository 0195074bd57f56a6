import { type StoredNames } from "./change-types";
import type { JmapClient } from "../../../jmap/client";
import { lookalikeGroups } from "../model/name-lookalike";
import { fetchMatchingNames } from "./matching-names";


// Every stored name and which look alike (queries.ts, storedNamesQuery): loaded when the page
// first asks for them, not with the list.

/** Every stored name (id → name) and which of them look alike (name-lookalike.ts). */
export async function fetchStoredNames(client: JmapClient): Promise<StoredNames> {
  const names = await fetchMatchingNames(client, { search: "", sort: "name-asc" });
  return { names, lookalikes: lookalikeGroups(names) };
}
