import { SetObjectError } from "../../../jmap/errors";
import type { ReloadOutcome } from "../../../stalwart/reload-settings";
import type { TlsStrategy } from "../../../stalwart/tls-strategy";
import type { Submission, SubmitOutcome } from "../form/contracts";
import type { FlashMessage } from "../form/flash";
import {
  applyPatch,
  type Change,
  differences,
  type EditableProperty,
  isSameStrategy,
  type TlsStrategyPatch,
} from "../model/changes";
import { reviewSave } from "../model/security-rules";

// The save loop of the edit page, as a plain async function over injected steps, so every
// branch is a unit test (save-rounds.test.ts) rather than only an end-to-end story.

/** A field changed both here and by someone else since the form was loaded. */
export interface Clash {
  key: EditableProperty;
  loaded: unknown;
  theirs: unknown;
  mine: unknown;
}

/** For each clashing field, whose value stays. */
export type Choices = Record<string, "theirs" | "mine">;

/** How many times a save reads again when the strategy changed while the admin decided. */
export const MAX_SAVE_ROUNDS = 3;

/** What the loop asks of the page: reads, questions, the write, and where it leads. */
export interface SaveSteps {
  /** The strategy as the server holds it now (null: deleted), shown everywhere. */
  readCurrent(): Promise<TlsStrategy | null>;
  /** Takes a newer version into the form: untouched fields show it, edited ones keep theirs. */
  takeIn(current: TlsStrategy): void;
  /** Which value to keep for each clash; null when the admin cancels. */
  askClashes(clashes: Clash[], theirs: Change[]): Promise<Choices | null>;
  /**
   * Writes `patch` (and reloads the settings in the same request with `apply`). Rejects with
   * the client's typed errors: SetObjectError "notFound" when the strategy went meanwhile.
   */
  write(request: {
    patch: TlsStrategyPatch;
    before: TlsStrategy;
    after: TlsStrategy;
    apply: boolean;
  }): Promise<{ reload?: ReloadOutcome }>;
  /**
   * Nothing to write (the other admin's values were kept): the lists are read again when
   * shown, and with `apply` the settings are reloaded; resolves to that reload's outcome.
   */
  keepTheirs(apply: boolean): Promise<ReloadOutcome | null>;
  /** The strategy was found gone between the read and the write: forget it everywhere. */
  forget(): void;
  /** A strategy deleted meanwhile: offer to create it again with the form's values. */
  recreate(submission: Submission, baseline: TlsStrategy): Promise<SubmitOutcome>;
  /** Leaves the form for the list, saying what happened. */
  leave(message: FlashMessage): void;
}

/**
 * Saves only what this admin changed (`submission.comparison.patch`). The server has no
 * ifInState (shared wire reference §5), so the strategy is read again first: a field someone
 * else changed is kept unless this admin changed it too, and then the admin decides. The
 * security review then runs on the merged strategy, the one the server will hold (README,
 * "What is saved is what was reviewed"). If the admin had to decide something, the strategy is
 * read once more before writing, and if it changed meanwhile, merged and reviewed again, at
 * most MAX_SAVE_ROUNDS times: what is written is what was reviewed. Two requests when nobody
 * else is editing. `baseline` is what the form's values were edited against, `opened` the
 * version "someone else changed" is measured from. Resolves to why nothing was written, or
 * undefined (saved and left, or the admin cancelled); rejects with the write's errors but
 * "notFound" (an UnauthorizedError is for the form to sign in again and call it anew).
 */
export async function saveRounds(
  submission: Submission,
  { baseline, opened }: { baseline: TlsStrategy; opened: TlsStrategy },
  steps: SaveSteps,
): Promise<SubmitOutcome> {
  const mine = submission.comparison.patch;
  if (Object.keys(mine).length === 0)
    return {
      kind: "nothing-to-save",
      message: "Nothing to save: these values are the ones already stored.",
    };
  let current = await steps.readCurrent();
  for (let round = 0; ; round += 1) {
    if (current === null) return steps.recreate(submission, baseline);
    const stored: TlsStrategy = current;
    steps.takeIn(stored);
    const found: Clash[] = [];
    for (const key of Object.keys(mine) as EditableProperty[]) {
      if (stored[key] !== baseline[key] && stored[key] !== mine[key])
        found.push({ key, loaded: baseline[key], theirs: stored[key], mine: mine[key] });
    }
    // Someone else's changes this save keeps (where this admin's value does not win).
    const theirsKept = (after: TlsStrategy) =>
      differences(opened, stored).filter(
        (change) => after[change.property] === stored[change.property],
      );
    let patch: TlsStrategyPatch = mine;
    let hasAsked = false;
    if (found.length > 0) {
      hasAsked = true;
      const answer = await submission.whileAsking(
        steps.askClashes(found, theirsKept(applyPatch(stored, mine))),
      );
      if (answer === null) return;
      patch = Object.fromEntries(
        Object.entries(mine).filter(([key]) => answer[key] !== "theirs"),
      ) as TlsStrategyPatch;
    }
    const after = applyPatch(stored, patch);
    const theirs = theirsKept(after);
    if (differences(stored, after).length === 0) {
      // "Save and apply" still applies: what is stored (theirs) is what the admin settled on.
      const isApply = submission.intent === "apply";
      const reload = await steps.keepTheirs(isApply);
      steps.leave({
        before: "Kept the other admin's values for ",
        name: baseline.name,
        after:
          isApply && !reload?.isApplied
            ? "; nothing else needed saving. Not applied: see why below."
            : "; nothing else needed saving.",
        theirs,
        isApplied: reload?.isApplied === true,
        startedAt: submission.startedAt,
      });
      return;
    }
    const review = reviewSave(after, stored, submission.seen);
    if (review.blocking.length > 0) return { kind: "blocked", findings: review.blocking, theirs };
    const toConfirm = [...review.toConfirm, ...(submission.deliveryFindings ?? [])];
    if (toConfirm.length > 0) {
      hasAsked = true;
      const isConfirmed = await submission.confirm({
        title: "Save with warnings?",
        confirmLabel: "Save anyway",
        findings: toConfirm,
        changes: { heading: "What changes", items: differences(stored, after) },
        theirs,
      });
      if (!isConfirmed) return;
    }
    if (hasAsked) {
      // The admin took time to decide: what they decided on must still be what is stored.
      const again = await steps.readCurrent();
      if (again === null || !isSameStrategy(again, stored)) {
        if (round + 1 >= MAX_SAVE_ROUNDS) {
          return {
            kind: "nothing-to-save",
            message:
              "Not saved: someone else keeps changing this strategy. The form shows their latest values; save again when they are done.",
          };
        }
        current = again;
        continue;
      }
    }
    let saved: { reload?: ReloadOutcome };
    try {
      saved = await steps.write({
        patch,
        before: stored,
        after,
        apply: submission.intent === "apply",
      });
    } catch (error) {
      if (error instanceof SetObjectError && error.type === "notFound") {
        // Deleted between the read and the write.
        steps.forget();
        return steps.recreate(submission, baseline);
      }
      throw error;
    }
    steps.leave({
      before: "Saved ",
      name: baseline.name,
      after: ".",
      theirs,
      isApplied: saved.reload?.isApplied === true,
      startedAt: submission.startedAt,
    });
    return;
  }
}
