import { describe, expect, test } from "vitest";
import type { JmapClient } from "../jmap/client";
import { type PendingChange, readPending, scopeOf } from "./pending-changes";
import { withChange } from "./pending-merge";
import { afterApply, recordPendingChanges } from "./pending-writes";

const strategy = (kind: PendingChange["kind"], changes: PendingChange["changes"] = []) => ({
  object: "MtaTlsStrategy",
  id: "a1",
  name: "default",
  kind,
  changes,
});
const startTls = (from: string, to: string) => ({
  property: "startTls",
  label: "STARTTLS",
  from,
  to,
});

describe("the pending list merges what happens to one object until the next apply", () => {
  test("updates combine per property and keep the value at the last apply", () => {
    let list = withChange([], strategy("updated", [startTls("Optional", "Required")]));
    list = withChange(list, strategy("updated", [startTls("Required", "Disabled")]));
    expect(list).toEqual([strategy("updated", [startTls("Optional", "Disabled")])]);
  });

  test("changing a value back leaves nothing pending", () => {
    let list = withChange([], strategy("updated", [startTls("Optional", "Required")]));
    list = withChange(list, strategy("updated", [startTls("Required", "Optional")]));
    expect(list).toEqual([]);
  });

  test("created then updated stays created; created then deleted was never applied", () => {
    let list = withChange([], strategy("created"));
    list = withChange(list, strategy("updated", [startTls("Optional", "Required")]));
    expect(list).toEqual([strategy("created")]);
    expect(withChange(list, strategy("deleted"))).toEqual([]);
  });

  test("updated then deleted is deleted; other objects are untouched", () => {
    const other = { ...strategy("created"), id: "b2", name: "relay-eu" };
    let list = withChange([other], strategy("updated", [startTls("Optional", "Required")]));
    list = withChange(list, strategy("deleted"));
    expect(list).toEqual([other, strategy("deleted")]);
  });
});

test("the list belongs to one server and one user, and the key holds no secret", () => {
  expect(scopeOf({ apiUrl: "https://mail.example.com/jmap/", username: "admin" })).toBe(
    "stalwart-tls-strategies.pending:https://mail.example.com admin",
  );
});

describe("a deletion and a creation under the same name are one re-creation", () => {
  const values = (startTlsValue: string) => [
    { property: "startTls", label: "STARTTLS", value: startTlsValue },
    { property: "dane", label: "DANE", value: "Optional" },
  ];
  const deleted = { ...strategy("deleted"), values: values("Optional") };
  const created = (startTlsValue: string) => ({
    ...strategy("created"),
    id: "new-id",
    values: values(startTlsValue),
  });

  test("with what differs, as Stalwart picks strategies by name", () => {
    expect(withChange([deleted], created("Required"))).toEqual([
      { ...created("Required"), kind: "recreated", changes: [startTls("Optional", "Required")] },
    ]);
  });

  test("against the values delivery still runs with, not unapplied ones", () => {
    let list = withChange([], strategy("updated", [startTls("Optional", "Required")]));
    list = withChange(list, { ...strategy("deleted"), values: values("Required") });
    expect(list).toEqual([{ ...strategy("deleted"), values: values("Optional") }]);
    expect(withChange(list, created("Optional"))).toEqual([]);
  });

  test("with nothing that differs, nothing is pending", () => {
    expect(withChange([deleted], created("Optional"))).toEqual([]);
  });
});

test("a reload applies what was recorded before it was sent, never what came after", () => {
  const early = { ...strategy("created"), id: "e", seq: 3 };
  const late = { ...strategy("created"), id: "l", seq: 4 };
  expect(
    afterApply(
      {
        changes: [early, late],
        nextSeq: 5,
        failure: { kind: "unknown", message: "lost" },
      },
      3,
    ),
  ).toEqual({ changes: [late], nextSeq: 5 });
});

test("many changes recorded at once merge in order, as if recorded one by one", async () => {
  const session = { apiUrl: "https://mail.example.org/jmap/", username: "bulk-test" };
  const client = { session: async () => session } as unknown as JmapClient;
  const created = { ...strategy("created"), id: "n1", name: "new-one" };
  const deleted = (id: string, name: string) => ({ ...strategy("deleted"), id, name });
  await recordPendingChanges(client, [created, deleted("d1", "old-1")]);
  await recordPendingChanges(client, [deleted("n1", "new-one"), deleted("d2", "old-2")]);
  const state = readPending(scopeOf(session));
  // Created then deleted was never applied; each change took its own sequence number.
  expect(state.changes.map((c) => [c.id, c.kind, c.seq])).toEqual([
    ["d1", "deleted", 2],
    ["d2", "deleted", 4],
  ]);
  expect(state.nextSeq).toBe(5);
});
