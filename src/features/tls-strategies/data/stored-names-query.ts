import { queryOptions } from "@tanstack/react-query";
import type { JmapClient } from "../../../jmap/client";
import { STORED_NAMES_KEY, type StoredNames } from "./change-types";

/**
 * Every stored strategy's name (id → name), and which of them look alike
 * (model/name-lookalike.ts): for refusing a new look-alike name and marking stored ones in the
 * list. All of them, in as few requests as the limits allow (stored-names.ts); kept up to date
 * by this page's own changes (send-changes.ts), read again after a minute.
 */
export const storedNamesQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: STORED_NAMES_KEY,
    queryFn: async (): Promise<StoredNames> =>
      (await import("./stored-names")).fetchStoredNames(client),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });

