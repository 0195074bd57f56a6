import { expect, test } from "vitest";
import { compareIds, decodeId, encodeId, idGenerator } from "./ids";

test("ids are 12 characters of Stalwart's alphabet and decode back to their number", () => {
  for (const value of [0n, 1n, 31n, 32n, 2n ** 59n + 12345n]) {
    const id = encodeId(value);
    expect(id).toMatch(/^[abcdefghijklmnopqrstuvwxyz792013]{12}$/);
    expect(decodeId(id)).toBe(value);
  }
  expect(decodeId("not-an-id")).toBeNull();
});

test("ids grow with creation time, also within one millisecond and when the clock steps back", () => {
  const clock = [1_800_000_000_000, 1_800_000_000_000, 1_799_999_999_000, 1_800_000_000_001];
  const next = idGenerator(0n, () => clock.shift() ?? 0);
  const ids = [next(), next(), next(), next()];
  for (let i = 1; i < ids.length; i += 1)
    expect(compareIds(ids[i] as string, ids[i - 1] as string)).toBe(1);
});
