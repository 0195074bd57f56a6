import { expect, test } from "vitest";
import { createLiveTokens } from "./live-tokens";

test("a token names its holder until it expires, and works more than once", () => {
  const tokens = createLiveTokens<string>(60_000);
  const token = tokens.issue("admin", 1_000);
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(tokens.redeem(token, 1_000)).toBe("admin");
  expect(tokens.redeem(token, 60_999)).toBe("admin");
  expect(tokens.redeem(token, 61_000)).toBeNull();
  expect(tokens.redeem("made-up", 1_000)).toBeNull();
});

test("expired tokens are dropped, and no more than `max` are kept (oldest first)", () => {
  const tokens = createLiveTokens<number>(10, 3);
  tokens.issue(1, 0);
  tokens.issue(2, 0);
  tokens.issue(3, 20);
  expect(tokens.size()).toBe(1);
  const kept = [tokens.issue(4, 21), tokens.issue(5, 22)];
  const newest = tokens.issue(6, 23);
  expect(tokens.size()).toBe(3);
  expect(kept.map((t) => tokens.redeem(t, 23))).toEqual([4, 5]);
  expect(tokens.redeem(newest, 23)).toBe(6);
});
