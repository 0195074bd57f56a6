import { expect, test } from "vitest";
import { summarizeChanges } from "./pending-apply-notice";
import type { PendingChange } from "./pending-changes";

const change = (id: string, kind: PendingChange["kind"]): PendingChange => ({
  object: "MtaTlsStrategy",
  id,
  name: id,
  kind,
  changes: [],
});

test("many pending changes are summed up by kind, most frequent first", () => {
  const changes = [
    ...Array.from({ length: 45 }, (_, i) => change(`d${i}`, "deleted")),
    change("u1", "updated"),
    change("u2", "updated"),
    change("c1", "created"),
  ];
  expect(summarizeChanges(changes)).toBe("45 strategies deleted, 2 changed, 1 created");
  expect(summarizeChanges([change("a", "recreated")])).toBe("1 strategy deleted and created again");
  expect(summarizeChanges(Array.from({ length: 1100 }, (_, i) => change(`${i}`, "deleted")))).toBe(
    "1,100 strategies deleted",
  );
});

test("a change of the TLS rules is said apart from the strategies", () => {
  const rules: PendingChange = {
    object: "MtaOutboundStrategy",
    id: "singleton",
    name: "TLS rules",
    kind: "updated",
    changes: [],
  };
  const deleted = Array.from({ length: 6 }, (_, i) => change(`d${i}`, "deleted"));
  expect(summarizeChanges([rules, ...deleted])).toBe("6 strategies deleted, TLS rules changed");
  expect(summarizeChanges([rules])).toBe("TLS rules changed");
});
