import { expect, test } from "vitest";
import { createProbeLimiter } from "./limiter";

// At most two probes per user and four in total, with a clear "busy" answer.

test("per user, in total, and released slots come back", () => {
  const limiter = createProbeLimiter();
  const a1 = limiter.acquire("alice");
  const a2 = limiter.acquire("alice");
  expect(limiter.acquire("alice")).toEqual({ busy: expect.stringMatching(/already have 2/) });
  limiter.acquire("bob");
  const b2 = limiter.acquire("bob");
  expect(limiter.running()).toBe(4);
  expect(limiter.acquire("carol")).toEqual({ busy: expect.stringMatching(/running 4/) });
  if ("release" in a1) {
    a1.release();
    a1.release();
  }
  expect(limiter.running()).toBe(3);
  expect("release" in limiter.acquire("carol")).toBe(true);
  expect("release" in a2 && "release" in b2).toBe(true);
});
