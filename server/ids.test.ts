import { expect, test } from "vitest";
import { canonicalId, compareIds, decodeId, encodeId, idGenerator, unixTimeId } from "./ids";

test("ids are written in Stalwart's alphabet, shortest form, and decode back to their number", () => {
  expect(encodeId(0n)).toBe("a");
  expect(encodeId(1n)).toBe("b");
  expect(encodeId(32n)).toBe("ba");
  expect(encodeId(20080258862541n)).toBe("singleton");
  for (const value of [0n, 1n, 31n, 32n, 2n ** 59n + 12345n, 2n ** 64n - 1n]) {
    const id = encodeId(value);
    expect(id).toMatch(/^[abcdefghijklmnopqrstuvwxyz792013]{1,13}$/);
    expect(decodeId(id)).toBe(value);
  }
});

test("ids are read as Stalwart reads them (reference §3)", () => {
  // Any length, leading zeros included; the empty string is id 0.
  expect(decodeId("")).toBe(0n);
  expect(canonicalId("")).toBe("a");
  expect(canonicalId("aaaab")).toBe("b");
  // Upper-case K–Z are k–z; A–J are not in the server's table.
  expect(canonicalId("SINGLETON")).toBeNull();
  expect(canonicalId("sINGLETON")).toBeNull();
  expect(canonicalId("SiNgLeTON")).toBe("singleton");
  expect(canonicalId("K")).toBe("k");
  for (const char of "ABCDEFGHIJ") expect(decodeId(char)).toBeNull();
  for (const bad of ["not-an-id", "a b", "4", "5", "6", "8", "é", "#k1"])
    expect(decodeId(bad)).toBeNull();
  // Past 13 characters the high bits are shifted out, as u64 arithmetic does.
  expect(decodeId(`b${"a".repeat(13)}`)).toBe(0n);
  expect(canonicalId(`b${"a".repeat(12)}`)).toBe(`b${"a".repeat(12)}`);
});

test("ids grow with creation time, also within one millisecond and when the clock steps back", () => {
  const clock = [1_800_000_000_000, 1_800_000_000_000, 1_799_999_999_000, 1_800_000_000_001];
  const next = idGenerator(0n, () => clock.shift() ?? 0);
  const ids = [next(), next(), next(), next()];
  for (let i = 1; i < ids.length; i += 1)
    expect(compareIds(ids[i] as string, ids[i - 1] as string)).toBe(1);
});

test("an action id is the Unix time in seconds (reference §11)", () => {
  expect(unixTimeId(() => 1_796_000_000_999)).toBe("bvqzsia");
  expect(unixTimeId(() => 1_796_000_000_000)).toBe("bvqzsia");
  expect(unixTimeId(() => 1_796_000_001_000)).toBe("bvqzsib");
});

test("a very long id is read quickly: only its last 13 digits can count", () => {
  const long = `${"z".repeat(5_000_000)}bcd`;
  const started = performance.now();
  expect(canonicalId(long)).toBe(encodeId(decodeId(`${"z".repeat(10)}bcd`) as bigint));
  expect(decodeId(`${long}!`)).toBeNull();
  expect(performance.now() - started).toBeLessThan(1_000);
});
