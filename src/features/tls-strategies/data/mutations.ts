import { knownReload, useChangeEffects } from "./change-effects";
import { type StrategyValues } from "../model/changes";
import { type PageView, type TlsStrategy } from "../../../stalwart/tls-strategy";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { JmapClient } from "../../../jmap/client";
import { SetObjectError } from "../../../jmap/errors";
import type { ReloadOutcome } from "../../../stalwart/reload-settings";
import { differences, type TlsStrategyPatch } from "../model/changes";

import { FIELDS } from "../model/fields";
import {
  pendingValue,
  reflectChange,
  setThenRefresh,
  showRefreshed,
  valuesInWords,
} from "./send-changes";

// Creating and updating a strategy: only the form's pages use them, so they load with the
// form, not with the list (README, "Speed"). Deleting stays in queries.ts: the list deletes too.

/** What a save that also asked for a reload learned about it. */
export interface SaveOutcome {
  /** Undefined when no reload was asked for, or its answer could not be read. */
  reload?: ReloadOutcome;
}

export function useCreateTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  const effects = useChangeEffects(client);
  return useMutation({
    mutationFn: async ({
      strategy,
      refresh,
      apply = false,
    }: {
      strategy: StrategyValues;
      refresh?: PageView;
      /** Reload the settings in the same request ("Save and apply"). */
      apply?: boolean;
    }): Promise<TlsStrategy & SaveOutcome> => {
      const mark = await effects.mark(apply);
      const { answers, refreshed, reload } = await setThenRefresh(
        client,
        [{ create: { new: strategy } }],
        refresh,
        apply,
      );
      const answer = answers[0];
      const created = answer && "result" in answer ? answer.result.created?.new : undefined;
      if (!created) {
        showRefreshed(queryClient, refreshed);
        await effects.notSaved(reload, mark);
        if (answer && "error" in answer) throw answer.error;
        throw new SetObjectError(
          (answer && "result" in answer ? answer.result.notCreated?.new : undefined) ?? {
            type: "serverFail",
          },
          "create",
          "new",
        );
      }
      const stored = { id: created.id, ...strategy };
      reflectChange(queryClient, { created: [stored] }, refreshed);
      await effects.saved(
        {
          id: created.id,
          name: strategy.name,
          kind: "created",
          changes: [],
          values: valuesInWords(strategy),
        },
        reload,
        mark,
      );
      return { ...stored, reload: knownReload(reload) };
    },
  });
}

export function useUpdateTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  const effects = useChangeEffects(client);
  return useMutation({
    mutationFn: async ({
      id,
      patch,
      before,
      after,
      refresh,
      apply = false,
    }: {
      id: string;
      patch: TlsStrategyPatch;
      /** The whole strategy as the server holds it before the patch. */
      before: TlsStrategy;
      /** The whole strategy as the server holds it once the patch is applied. */
      after: TlsStrategy;
      refresh?: PageView;
      /** Reload the settings in the same request ("Save and apply"). */
      apply?: boolean;
    }): Promise<SaveOutcome> => {
      const mark = await effects.mark(apply);
      const { answers, refreshed, reload } = await setThenRefresh(
        client,
        [{ update: { [id]: patch } }],
        refresh,
        apply,
      );
      const answer = answers[0];
      if (!(answer && "result" in answer && answer.result.updated && id in answer.result.updated)) {
        showRefreshed(queryClient, refreshed);
        await effects.notSaved(reload, mark);
        if (answer && "error" in answer) throw answer.error;
        throw new SetObjectError(
          (answer && "result" in answer ? answer.result.notUpdated?.[id] : undefined) ?? {
            type: "serverFail",
          },
          "update",
          id,
        );
      }
      reflectChange(queryClient, { updated: [after] }, refreshed);
      await effects.saved(
        {
          id,
          name: after.name,
          kind: "updated",
          changes: differences(before, after).map((change) => ({
            property: change.property,
            label: FIELDS[change.property].label,
            from: pendingValue(change.property, change.from),
            to: pendingValue(change.property, change.to),
          })),
        },
        reload,
        mark,
      );
      return { reload: knownReload(reload) };
    },
  });
}
