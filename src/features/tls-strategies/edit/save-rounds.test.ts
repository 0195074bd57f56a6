import { describe, expect, it } from "vitest";
import { SetObjectError, UnauthorizedError } from "../../../jmap/errors";
import type { ReloadOutcome } from "../../../stalwart/reload-settings";
import { STRATEGY_DEFAULTS, type TlsStrategy } from "../../../stalwart/tls-strategy";
import type { ConfirmRequest, Submission } from "../form/contracts";
import type { FlashMessage } from "../form/flash";
import type { TlsStrategyPatch } from "../model/changes";
import {
  type Choices,
  type Clash,
  MAX_SAVE_ROUNDS,
  type SaveSteps,
  saveRounds,
} from "./save-rounds";

// Every branch of the edit page's save: what is read, asked, written and said, in order.

const OPENED: TlsStrategy = { id: "a", name: "default", ...STRATEGY_DEFAULTS };

function submission(
  patch: TlsStrategyPatch,
  {
    intent = "save",
    confirm = () => true,
    seen = OPENED,
  }: {
    intent?: "save" | "apply";
    confirm?: (request: ConfirmRequest) => boolean;
    seen?: TlsStrategy;
  } = {},
): Submission & { asked: ConfirmRequest[]; waited: number } {
  const asked: ConfirmRequest[] = [];
  const result = {
    intent,
    values: {} as Submission["values"],
    comparison: { patch, unreadable: [], hasName: false, hasChanges: true },
    seen: { ...seen, ...patch },
    startedAt: "http://localhost/edit/a",
    asked,
    waited: 0,
    confirm: async (request: ConfirmRequest) => {
      asked.push(request);
      return confirm(request);
    },
    whileAsking: async <T>(question: Promise<T>) => {
      result.waited += 1;
      return question;
    },
  };
  return result;
}

/** Steps that record every call; `reads` answers readCurrent in turn (the last repeats). */
function world({
  reads,
  choices = null,
  writeError,
  reloadApplied = true,
}: {
  reads: (TlsStrategy | null)[];
  choices?: Choices | null | ((clashes: Clash[]) => Choices | null);
  writeError?: unknown;
  reloadApplied?: boolean;
}) {
  const log: string[] = [];
  const writes: Parameters<SaveSteps["write"]>[0][] = [];
  const left: FlashMessage[] = [];
  const clashesAsked: Clash[][] = [];
  const takenIn: TlsStrategy[] = [];
  let read = 0;
  const steps: SaveSteps = {
    readCurrent: async () => {
      log.push("read");
      const answer = reads[Math.min(read, reads.length - 1)] ?? null;
      read += 1;
      return answer;
    },
    takeIn: (current) => {
      takenIn.push(current);
    },
    askClashes: async (clashes) => {
      log.push("ask");
      clashesAsked.push(clashes);
      return typeof choices === "function" ? choices(clashes) : choices;
    },
    write: async (request) => {
      log.push(request.apply ? "write+apply" : "write");
      writes.push(request);
      if (writeError) throw writeError;
      return request.apply ? { reload: reload(reloadApplied) } : {};
    },
    keepTheirs: async (apply) => {
      log.push(apply ? "keep+apply" : "keep");
      return apply ? reload(reloadApplied) : null;
    },
    forget: () => {
      log.push("forget");
    },
    recreate: async () => {
      log.push("recreate");
      return { kind: "nothing-to-save", message: "recreate offered" };
    },
    leave: (message) => {
      log.push("leave");
      left.push(message);
    },
  };
  return { steps, log, writes, left, clashesAsked, takenIn };
}

const reload = (isApplied: boolean): ReloadOutcome =>
  isApplied
    ? { isApplied: true }
    : {
        isApplied: false,
        failure: { kind: "methodError", type: "forbidden", description: undefined },
      };

const base = { baseline: OPENED, opened: OPENED };

describe("saveRounds", () => {
  it("says there is nothing to save, without a request, when nothing was changed", async () => {
    const w = world({ reads: [OPENED] });
    const outcome = await saveRounds(submission({}), base, w.steps);
    expect(outcome).toEqual({
      kind: "nothing-to-save",
      message: expect.stringMatching(/^Nothing to save/),
    });
    expect(w.log).toEqual([]);
  });

  it("reads once, writes only the changed field and leaves with “Saved”", async () => {
    const w = world({ reads: [OPENED] });
    const outcome = await saveRounds(submission({ tlsTimeout: 60_000 }), base, w.steps);
    expect(outcome).toBeUndefined();
    expect(w.log).toEqual(["read", "write", "leave"]);
    expect(w.writes[0]).toMatchObject({
      patch: { tlsTimeout: 60_000 },
      before: OPENED,
      after: { ...OPENED, tlsTimeout: 60_000 },
      apply: false,
    });
    expect(w.left[0]).toMatchObject({ before: "Saved ", name: "default", after: ".", theirs: [] });
    expect(w.left[0]?.isApplied).toBe(false);
  });

  it("sends the reload with the write for “Save and apply” and says whether it applied", async () => {
    for (const reloadApplied of [true, false]) {
      const w = world({ reads: [OPENED], reloadApplied });
      await saveRounds(submission({ tlsTimeout: 60_000 }, { intent: "apply" }), base, w.steps);
      expect(w.log).toEqual(["read", "write+apply", "leave"]);
      expect(w.left[0]?.isApplied).toBe(reloadApplied);
    }
  });

  it("keeps someone else's change to another field, takes it in and reports it", async () => {
    const theirs = { ...OPENED, description: "theirs" };
    const w = world({ reads: [theirs] });
    await saveRounds(submission({ tlsTimeout: 60_000 }), base, w.steps);
    expect(w.takenIn).toEqual([theirs]);
    expect(w.writes[0]?.patch).toEqual({ tlsTimeout: 60_000 });
    expect(w.writes[0]?.after).toEqual({ ...theirs, tlsTimeout: 60_000 });
    expect(w.left[0]?.theirs).toEqual([{ property: "description", from: null, to: "theirs" }]);
  });

  it("offers to create it again when it was deleted before the save", async () => {
    const w = world({ reads: [null] });
    const outcome = await saveRounds(submission({ tlsTimeout: 60_000 }), base, w.steps);
    expect(w.log).toEqual(["read", "recreate"]);
    expect(outcome).toEqual({ kind: "nothing-to-save", message: "recreate offered" });
  });

  it("forgets it and offers to create it again when the write finds it gone", async () => {
    const w = world({
      reads: [OPENED],
      writeError: new SetObjectError({ type: "notFound" }, "update", "a"),
    });
    await saveRounds(submission({ tlsTimeout: 60_000 }), base, w.steps);
    expect(w.log).toEqual(["read", "write", "forget", "recreate"]);
  });

  it("lets any other write error through, untouched and without leaving", async () => {
    for (const error of [
      new SetObjectError({ type: "forbidden" }, "update", "a"),
      new UnauthorizedError(),
    ]) {
      const w = world({ reads: [OPENED], writeError: error });
      await expect(saveRounds(submission({ tlsTimeout: 60_000 }), base, w.steps)).rejects.toBe(
        error,
      );
      expect(w.log).toEqual(["read", "write"]);
    }
  });

  describe("a field changed here and by someone else", () => {
    const theirs = { ...OPENED, tlsTimeout: 30_000, description: "theirs" };

    it("asks which value stays, while the form says it is waiting for an answer", async () => {
      const w = world({ reads: [theirs], choices: { tlsTimeout: "mine" } });
      const s = submission({ tlsTimeout: 60_000 });
      await saveRounds(s, base, w.steps);
      expect(s.waited).toBe(1);
      expect(w.clashesAsked[0]).toEqual([
        { key: "tlsTimeout", loaded: 180_000, theirs: 30_000, mine: 60_000 },
      ]);
      // Asked: read again before writing, so what is written is what was decided on.
      expect(w.log).toEqual(["read", "ask", "read", "write", "leave"]);
      expect(w.writes[0]?.patch).toEqual({ tlsTimeout: 60_000 });
    });

    it("writes nothing when the admin cancels", async () => {
      const w = world({ reads: [theirs], choices: null });
      const outcome = await saveRounds(submission({ tlsTimeout: 60_000 }), base, w.steps);
      expect(outcome).toBeUndefined();
      expect(w.log).toEqual(["read", "ask"]);
    });

    it("keeps their value without a write; “Save and apply” still applies", async () => {
      for (const [intent, reloadApplied, after] of [
        ["save", true, "; nothing else needed saving."],
        ["apply", true, "; nothing else needed saving."],
        ["apply", false, "; nothing else needed saving. Not applied: see why below."],
      ] as const) {
        const w = world({ reads: [theirs], choices: { tlsTimeout: "theirs" }, reloadApplied });
        await saveRounds(submission({ tlsTimeout: 60_000 }, { intent }), base, w.steps);
        expect(w.log).toEqual(["read", "ask", intent === "apply" ? "keep+apply" : "keep", "leave"]);
        expect(w.writes).toEqual([]);
        expect(w.left[0]).toMatchObject({
          before: "Kept the other admin's values for ",
          after,
          isApplied: intent === "apply" && reloadApplied,
        });
      }
    });

    it("writes only the fields where the admin kept their own value", async () => {
      const both = { ...OPENED, tlsTimeout: 30_000, mtaStsTimeout: 30_000 };
      const w = world({
        reads: [both],
        choices: { tlsTimeout: "theirs", mtaStsTimeout: "mine" },
      });
      await saveRounds(submission({ tlsTimeout: 60_000, mtaStsTimeout: 90_000 }), base, w.steps);
      expect(w.clashesAsked[0]?.map((clash) => clash.key)).toEqual(["tlsTimeout", "mtaStsTimeout"]);
      expect(w.writes[0]?.patch).toEqual({ mtaStsTimeout: 90_000 });
      expect(w.writes[0]?.after).toEqual({ ...both, mtaStsTimeout: 90_000 });
    });

    it("is no clash when both set the same value", async () => {
      const same = { ...OPENED, tlsTimeout: 60_000 };
      const w = world({ reads: [same] });
      await saveRounds(submission({ tlsTimeout: 60_000, description: "y" }), base, w.steps);
      expect(w.clashesAsked).toEqual([]);
      expect(w.writes[0]?.patch).toEqual({ tlsTimeout: 60_000, description: "y" });
    });
  });

  describe("the security review runs on what the server will hold", () => {
    it("blocks an error the merge introduces, with what the other admin changed", async () => {
      // They required DANE; this admin disables STARTTLS: together, an error.
      const theirs = { ...OPENED, dane: "require" as const };
      const w = world({ reads: [theirs] });
      const outcome = await saveRounds(
        submission({ startTls: "disable" }, { confirm: () => true }),
        base,
        w.steps,
      );
      expect(outcome).toMatchObject({
        kind: "blocked",
        findings: [expect.objectContaining({ id: "starttls-disabled-with-requirement" })],
        theirs: [{ property: "dane", from: "optional", to: "require" }],
      });
      expect(w.writes).toEqual([]);
    });

    it("asks to confirm a warning, then reads again before writing", async () => {
      const w = world({ reads: [OPENED] });
      const s = submission({ allowInvalidCerts: true });
      await saveRounds(s, base, w.steps);
      expect(s.asked.map((request) => request.findings.map((f) => f.id))).toEqual([
        ["invalid-certificates"],
      ]);
      expect(s.asked[0]?.changes.items).toEqual([
        { property: "allowInvalidCerts", from: false, to: true },
      ]);
      expect(w.log).toEqual(["read", "read", "write", "leave"]);
    });

    it("writes nothing when a warning is declined", async () => {
      const w = world({ reads: [OPENED] });
      const outcome = await saveRounds(
        submission({ allowInvalidCerts: true }, { confirm: () => false }),
        base,
        w.steps,
      );
      expect(outcome).toBeUndefined();
      expect(w.log).toEqual(["read"]);
    });

    it("does not ask again about a warning already stored and seen on screen", async () => {
      const stored = { ...OPENED, allowInvalidCerts: true };
      const w = world({ reads: [stored] });
      const s = submission({ tlsTimeout: 60_000 }, { seen: stored });
      await saveRounds(s, { baseline: stored, opened: stored }, w.steps);
      expect(s.asked).toEqual([]);
      expect(w.log).toEqual(["read", "write", "leave"]);
    });
  });

  describe("a strategy that changes while the admin decides", () => {
    it("merges and reviews the newer version again, then writes that", async () => {
      const newer = { ...OPENED, description: "newer" };
      const w = world({ reads: [OPENED, newer, newer] });
      const s = submission({ allowInvalidCerts: true });
      await saveRounds(s, base, w.steps);
      expect(s.asked).toHaveLength(2);
      expect(w.log).toEqual(["read", "read", "read", "write", "leave"]);
      expect(w.writes[0]?.before).toEqual(newer);
      expect(w.writes[0]?.after).toEqual({ ...newer, allowInvalidCerts: true });
      expect(w.takenIn).toEqual([OPENED, newer]);
    });

    it("offers to create it again when it was deleted while the admin decided", async () => {
      const w = world({ reads: [OPENED, null] });
      await saveRounds(submission({ allowInvalidCerts: true }), base, w.steps);
      expect(w.log).toEqual(["read", "read", "recreate"]);
    });

    it(`gives up after ${MAX_SAVE_ROUNDS} rounds, writing nothing`, async () => {
      const reads = Array.from({ length: MAX_SAVE_ROUNDS + 2 }, (_, round) => ({
        ...OPENED,
        description: `round ${round}`,
      }));
      const w = world({ reads });
      const s = submission({ allowInvalidCerts: true });
      const outcome = await saveRounds(s, base, w.steps);
      expect(outcome).toEqual({
        kind: "nothing-to-save",
        message: expect.stringMatching(/^Not saved: someone else keeps changing this strategy/),
      });
      expect(s.asked).toHaveLength(MAX_SAVE_ROUNDS);
      expect(w.writes).toEqual([]);
      expect(w.log.filter((step) => step === "read")).toHaveLength(MAX_SAVE_ROUNDS + 1);
    });
  });
});
