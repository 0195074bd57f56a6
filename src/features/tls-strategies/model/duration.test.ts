import { describe, expect, test } from "vitest";
import { formatDuration } from "./duration";
import { describeDuration, parseDuration } from "./parse-duration";

describe("parseDuration", () => {
  test.each([
    ["500ms", 500],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["1h 30m", 5_400_000],
    ["2d", 172_800_000],
    ["  5 M ", 300_000],
    ["1H30M", 5_400_000],
    ["1d 2h 3m 4s 5ms", 93_784_005],
  ])("accepts %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  test.each([
    ["", /Enter a duration/],
    ["   ", /Enter a duration/],
    ["0s", /longer than zero/],
    ["0m 0s", /longer than zero/],
    ["-5m", /must be positive/],
    ["1.5ms", /whole numbers/],
    ["0.5s", /whole numbers/],
    ["90", /Add a unit/],
    ["soon", /not a duration/],
    ["5 minutes", /not a duration/],
    ["5m5", /not a duration/],
    ["30m1h", /largest first/],
    ["5m 5m", /largest first/],
    ["99999999999999999d", /too long/],
  ])("rejects %j with a message saying what is accepted", (text, message) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe("formatDuration and describeDuration", () => {
  test.each([
    [500, "500ms", "500 milliseconds"],
    [90_000, "1m 30s", "1 minute 30 seconds"],
    [180_000, "3m", "3 minutes"],
    [5_400_000, "1h 30m", "1 hour 30 minutes"],
    [86_400_000, "1d", "1 day"],
    [86_401_001, "1d 1s 1ms", "1 day 1 second 1 millisecond"],
  ])("%d ms reads as %j and %j", (ms, short, words) => {
    expect(formatDuration(ms)).toBe(short);
    expect(describeDuration(ms)).toBe(words);
  });

  test("every formatted value parses back to the same milliseconds", () => {
    for (const ms of [1, 999, 1_000, 61_001, 3_599_999, 90_061_001, 2 ** 40]) {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
    }
  });
});
