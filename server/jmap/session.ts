import type { JmapSession } from "../../src/jmap/protocol";
import { CORE_CAPABILITY, STALWART_CAPABILITY } from "../../src/jmap/protocol";
import type { User } from "../auth";
import {
  MAX_CALLS_IN_REQUEST,
  MAX_CONCURRENT_REQUESTS,
  MAX_CONCURRENT_UPLOAD,
  MAX_OBJECTS_IN_GET,
  MAX_OBJECTS_IN_SET,
  MAX_SIZE_REQUEST,
  MAX_SIZE_UPLOAD,
} from "./limits";

/**
 * The JMAP session (RFC 8620 §2) as Stalwart shapes it (shared wire reference §1): without a
 * user only the capabilities; `urn:stalwart:jmap` only per account and in primaryAccounts.
 * URLs are built from `origin`, which the caller takes from the configured public URL, never
 * from a request's Host header (reference §1).
 */
export function sessionFor(user: User | null, origin: string): JmapSession {
  return {
    capabilities: {
      [CORE_CAPABILITY]: {
        maxSizeUpload: MAX_SIZE_UPLOAD,
        maxConcurrentUpload: MAX_CONCURRENT_UPLOAD,
        maxSizeRequest: MAX_SIZE_REQUEST,
        maxConcurrentRequests: MAX_CONCURRENT_REQUESTS,
        maxCallsInRequest: MAX_CALLS_IN_REQUEST,
        maxObjectsInGet: MAX_OBJECTS_IN_GET,
        maxObjectsInSet: MAX_OBJECTS_IN_SET,
        collationAlgorithms: ["i;ascii-numeric", "i;ascii-casemap", "i;unicode-casemap"],
      },
    },
    accounts: user
      ? {
          [user.accountId]: {
            name: user.name,
            isPersonal: true,
            isReadOnly: false,
            accountCapabilities: { [STALWART_CAPABILITY]: {} },
          },
        }
      : {},
    primaryAccounts: user ? { [STALWART_CAPABILITY]: user.accountId } : {},
    username: user?.name ?? "",
    apiUrl: `${origin}/jmap/`,
    downloadUrl: `${origin}/jmap/download/{accountId}/{blobId}/{name}?accept={type}`,
    uploadUrl: `${origin}/jmap/upload/{accountId}/`,
    eventSourceUrl: `${origin}/jmap/eventsource/?types={types}&closeafter={closeafter}&ping={ping}`,
    state: user?.sessionState ?? "0",
  };
}
