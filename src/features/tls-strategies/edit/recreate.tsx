import { useQueryClient } from "@tanstack/react-query";
import { QuotedName } from "../../../components/shown-text";
import { TLS_STRATEGY_PERMISSIONS } from "../../../jmap/protocol";
import { useJmapClient } from "../../../session/auth";
import type { TlsStrategy } from "../../../stalwart/tls-strategy";
import { lastListView } from "../data/last-list-view";
import { useCreateTlsStrategy } from "../data/mutations";
import { storedNamesQuery } from "../data/stored-names-query";
import type { Submission, SubmitOutcome } from "../form/contracts";
import { useLeaveWith } from "../form/flash";
import { applyPatch } from "../model/changes";
import { describeLookalike, findLookalike } from "../model/name-lookalike";
import { reviewSave } from "../model/security-rules";

/**
 * For a strategy deleted by someone else while it was edited: returns
 * `(submission, baseline) => Promise<SubmitOutcome>`, which offers to create it again under
 * the same name with the form's values (README, "Two admins at once"). Refused, with the
 * reason as a "nothing-to-save" outcome, without `canCreate` or when a look-alike of the
 * name was created meanwhile (name-lookalike.ts); an error the values raise blocks it.
 * Rejects with the create's errors.
 */
export function useRecreate(canCreate: boolean) {
  const client = useJmapClient();
  const queryClient = useQueryClient();
  const create = useCreateTlsStrategy(client);
  const leaveWith = useLeaveWith();
  return async (submission: Submission, baseline: TlsStrategy): Promise<SubmitOutcome> => {
    const { intent, comparison, seen, confirm } = submission;
    if (!canCreate) {
      return {
        kind: "nothing-to-save",
        message: `This strategy was deleted by someone else, and your account may not create strategies (${TLS_STRATEGY_PERMISSIONS.create}), so it cannot be created again from here.`,
      };
    }
    // Someone may have created a look-alike of the name meanwhile (name-lookalike.ts).
    const stored = await queryClient
      .fetchQuery({ ...storedNamesQuery(client), staleTime: 0 })
      .catch(() => null);
    const lookalike = stored ? findLookalike(baseline.name, stored.names) : null;
    if (lookalike) {
      return {
        kind: "nothing-to-save",
        message: `This strategy was deleted by someone else, and “${lookalike.name}” has been created since, which looks the same as its name: ${describeLookalike(lookalike.reason)}. It is not created again; duplicate it under another name instead.`,
      };
    }
    // What was stored, with this admin's edits: a field nobody touched is sent as it was.
    const { id: _, ...strategy } = applyPatch(baseline, comparison.patch);
    const review = reviewSave(strategy, null, seen);
    if (review.blocking.length > 0)
      return { kind: "blocked", findings: review.blocking, theirs: [] };
    const isConfirmed = await confirm({
      title: (
        <>
          <QuotedName name={baseline.name} /> was deleted
        </>
      ),
      confirmLabel: "Create it again with my values",
      cancelLabel: "Keep editing",
      intro: (
        <p>
          Someone deleted this strategy while you were editing it. You can create it again, under
          the same name, with the values in your form.
        </p>
      ),
      findings: review.toConfirm,
      changes: { heading: "", items: [] },
      theirs: [],
    });
    if (!isConfirmed) return;
    const created = await create.mutateAsync({
      strategy,
      refresh: lastListView(),
      apply: intent === "apply",
    });
    leaveWith({
      before: "Created ",
      name: baseline.name,
      after: " again with your values.",
      isApplied: created.reload?.isApplied === true,
      startedAt: submission.startedAt,
    });
  };
}
