import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { JmapClient } from "../../../jmap/client";
import { useChangeEffects } from "./change-effects";
import type { DestroyRequest } from "./change-types";

// Deleting strategies: the hook is eager (the list deletes), the code it runs once sent
// (send-changes.ts) loads with the change.

/** The code a change runs once sent (send-changes.ts), loaded on demand. */
const changeCode = () => import("./send-changes");

/** Fetches that code ahead of a change: a delete dialog opening, a form's code loading. */
export const preloadChangeCode = () => void changeCode().catch(() => undefined);

/**
 * Destroys any number of strategies: one /set per `maxObjectsInSet` ids (shared wire
 * reference §5), in one request, or with `onProgress` one request per /set; each item
 * succeeds or fails on its own.
 */
export function useDestroyTlsStrategies(client: JmapClient) {
  const queryClient = useQueryClient();
  const effects = useChangeEffects(client);
  return useMutation({
    mutationFn: async (request: DestroyRequest) =>
      (await changeCode()).destroyTlsStrategies(client, queryClient, effects, request),
  });
}

