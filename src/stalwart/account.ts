import { queryOptions } from "@tanstack/react-query";
import type { JmapClient } from "../jmap/client";

// Who the caller is to the server: the JMAP session (RFC 8620 §2) and the permissions
// Stalwart lists beside it (GET /api/account, shared wire reference §1). Both are read once per
// session and again when an answer's sessionState says the session changed.

/** The caller's permissions, edition and locale (GET /api/account). */
export const accountQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["account"],
    queryFn: () => client.account(),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The JMAP session the client discovered: its apiUrl, account and user name. */
export const sessionQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["session"],
    queryFn: () => client.session(),
    staleTime: Number.POSITIVE_INFINITY,
  });
