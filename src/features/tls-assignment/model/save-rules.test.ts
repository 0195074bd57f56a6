import { describe, expect, test } from "vitest";
import type { SaveWithReload } from "../../../pending-apply/contracts";
import type { PendingChange } from "../../../pending-apply/pending-changes";
import type { TlsRules, TlsRulesWrite } from "../../../stalwart/outbound-tls-rules";
import { saveRules } from "./save-rules";

const OPENED: TlsRules = { rules: [], else: "'default'" };
const MINE: TlsRules = {
  rules: [{ if: "rcpt_domain == 'p.example'", then: "'relaxed'" }],
  else: "'default'",
};

function steps(stored: TlsRules, answer: (rules: TlsRules) => Partial<TlsRulesWrite>) {
  const log: string[] = [];
  const recorded: PendingChange[] = [];
  const effects: SaveWithReload = {
    mark: async () => 7,
    saved: async (change) => {
      recorded.push(change);
      log.push("saved");
    },
    savedAll: async () => undefined,
    notSaved: async () => {
      log.push("notSaved");
    },
  };
  return {
    log,
    recorded,
    steps: {
      read: async () => stored,
      write: async (rules: TlsRules) => {
        log.push("write");
        return { isUpdated: true, readBack: rules, ...answer(rules) };
      },
      effects,
    },
  };
}

describe("saving the rules", () => {
  test("a write the read-back confirms is saved and joins the pending list as TLS rules changed", async () => {
    const run = steps(OPENED, () => ({}));
    const result = await saveRules(MINE, OPENED, { apply: false, overwrite: false }, run.steps);
    expect(result).toMatchObject({ kind: "saved", stored: MINE });
    expect(run.recorded[0]).toMatchObject({ object: "MtaOutboundStrategy", name: "TLS rules" });
  });

  test("rules changed elsewhere since opening are a clash, and nothing is written", async () => {
    const theirs = { rules: [], else: "'invalid-tls'" };
    const run = steps(theirs, () => ({}));
    expect(await saveRules(MINE, OPENED, { apply: false, overwrite: false }, run.steps)).toEqual({
      kind: "clash",
      theirs,
    });
    expect(run.log).toEqual([]);
    const again = await saveRules(MINE, OPENED, { apply: false, overwrite: true }, run.steps);
    expect(again.kind).toBe("saved");
  });

  test("'updated' with a read-back of the old rules is not saved, and nothing is recorded", async () => {
    const run = steps(OPENED, () => ({ readBack: OPENED }));
    const result = await saveRules(MINE, OPENED, { apply: false, overwrite: false }, run.steps);
    expect(result).toEqual({ kind: "notStored", stored: OPENED });
    expect(run.log).toEqual(["write", "notSaved"]);
  });

  test("'updated' with no read-back is not called saved", async () => {
    const run = steps(OPENED, () => ({ readBack: { unreadable: new Error("lost") } }));
    expect(
      (await saveRules(MINE, OPENED, { apply: false, overwrite: false }, run.steps)).kind,
    ).toBe("unseen");
  });

  test("a refusal comes back as the server sent it", async () => {
    const setError = { type: "validationFailed", properties: ["tls"] };
    const run = steps(OPENED, () => ({ isUpdated: false, setError }));
    expect(await saveRules(MINE, OPENED, { apply: true, overwrite: false }, run.steps)).toEqual({
      kind: "refused",
      setError,
    });
    expect(run.log).toEqual(["write", "notSaved"]);
  });
});
