import { expect, test } from "vitest";
import { otherPicks, pickedFor, pickStrategies } from "./picks";

// Which strategy the `tls` expression picks for the tested domain: today's default expression,
// names no strategy has, per-MX rules, and expressions only the server can evaluate.

const DEFAULT_TLS = {
  match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
  else: "'default'",
};
const stored = new Set(["default", "invalid-tls", "strict"]);
const mxHosts = ["mx1.example.com", "mx2.example.com"];

test("the default expression picks default first and invalid-tls on a retry after a TLS error", () => {
  const picks = pickStrategies({
    tls: DEFAULT_TLS,
    recipient: "example.com",
    mxHosts,
    storedNames: stored,
  });
  expect(picks.first.route).toEqual({ kind: "strategy", name: "default" });
  expect(pickedFor(picks.first, "default")).toBe("all");
  expect(pickedFor(picks.first, "invalid-tls")).toBeNull();
  expect(pickedFor(picks.retry, "invalid-tls")).toBe("all");
  expect(pickedFor(picks.retry, "default")).toBeNull();
  expect(otherPicks(picks.first)).toEqual([]);
});

test("a rule on one MX host marks the strategy for that host only", () => {
  const tls = {
    match: { "0": { if: "mx == 'mx2.example.com'", then: "'strict'" } },
    else: "'default'",
  };
  const picks = pickStrategies({
    tls,
    recipient: "user@Example.com",
    mxHosts,
    storedNames: stored,
  });
  expect(pickedFor(picks.first, "strict")).toEqual(["mx2.example.com"]);
  expect(pickedFor(picks.first, "default")).toEqual(["mx1.example.com"]);
  expect(picks.first.hosts[0]?.pick).toEqual({ kind: "strategy", name: "default" });
});

test("a rule on the recipient domain sees the A-label", () => {
  const tls = {
    match: { "0": { if: "rcpt_domain == 'xn--bcher-kva.example'", then: "'strict'" } },
    else: "'default'",
  };
  const picks = pickStrategies({
    tls,
    recipient: "bücher.example",
    mxHosts: [],
    storedNames: stored,
  });
  expect(picks.first.route).toEqual({ kind: "strategy", name: "strict" });
  expect(pickedFor(picks.first, "strict")).toBe("all");
});

test("a name no strategy has is the built-in defaults", () => {
  const picks = pickStrategies({
    tls: { else: "'gone'" },
    recipient: "example.com",
    mxHosts,
    storedNames: stored,
  });
  expect(picks.first.route).toEqual({ kind: "built-in", name: "gone" });
  expect(otherPicks(picks.first)).toEqual([{ kind: "built-in", name: "gone" }]);
});

test("what only the server can evaluate, or what does not compile, cannot be told here", () => {
  const lookup = pickStrategies({
    tls: {
      match: { "0": { if: "key_exists('tls-domains', rcpt_domain)", then: "'strict'" } },
      else: "'default'",
    },
    recipient: "example.com",
    mxHosts,
    storedNames: stored,
  });
  expect(lookup.first.route.kind).toBe("cannot-tell");
  expect(otherPicks(lookup.first)).toHaveLength(1);
  const broken = pickStrategies({
    tls: { else: "('a'" },
    recipient: "example.com",
    mxHosts,
    storedNames: stored,
  });
  expect(broken.first.route).toMatchObject({ kind: "cannot-tell", reason: /does not compile/ });
});
