import { describe, expect, test } from "vitest";
import { toFormValues } from "../form/form-schema";
import {
  applyPatch,
  compareWithBaseline,
  describeChange,
  differences,
  editedProperties,
  isSameStrategy,
  rebase,
  type StrategyValues,
} from "./changes";

const stored: StrategyValues = {
  name: "relay",
  description: "  Relay for partner domains ",
  allowInvalidCerts: false,
  dane: "optional",
  mtaSts: "optional",
  startTls: "optional",
  mtaStsTimeout: 300_000,
  tlsTimeout: 180_000,
};
const untouched = toFormValues(stored);

describe("compareWithBaseline: changed means changed in meaning", () => {
  test("an untouched form changes nothing, whitespace in the stored description included", () => {
    expect(compareWithBaseline(stored, untouched)).toEqual({
      patch: {},
      unreadable: [],
      hasName: false,
      hasChanges: false,
    });
    const blank = { ...stored, description: "   " };
    expect(compareWithBaseline(blank, toFormValues(blank)).patch).toEqual({});
  });

  test("changing one field sends that field only, never the untouched description", () => {
    const comparison = compareWithBaseline(stored, { ...untouched, tlsTimeout: "90s" });
    expect(comparison.patch).toEqual({ tlsTimeout: 90_000 });
    expect(comparison.hasChanges).toBe(true);
  });

  test.each([
    ["180s", "tlsTimeout"],
    ["3m", "tlsTimeout"],
    ["0h 3m", "tlsTimeout"],
    ["300000ms", "mtaStsTimeout"],
    ["5M", "mtaStsTimeout"],
  ] as const)("%j for %s is the stored duration written otherwise: no change", (text, field) => {
    const comparison = compareWithBaseline(stored, { ...untouched, [field]: text });
    expect(comparison.patch).toEqual({});
    expect(comparison.hasChanges).toBe(false);
  });

  test("a duration that cannot be read is a change to keep, with nothing to send", () => {
    const comparison = compareWithBaseline(stored, { ...untouched, mtaStsTimeout: "soon" });
    expect(comparison).toMatchObject({
      patch: {},
      unreadable: ["mtaStsTimeout"],
      hasChanges: true,
    });
  });

  test("an edited description is trimmed, and cleared means null", () => {
    expect(compareWithBaseline(stored, { ...untouched, description: "Partners " }).patch).toEqual({
      description: "Partners",
    });
    expect(compareWithBaseline(stored, { ...untouched, description: "" }).patch).toEqual({
      description: null,
    });
    // Edited, but to the same meaning as stored: nothing to send.
    const plain = { ...stored, description: "Relay" };
    expect(
      compareWithBaseline(plain, { ...toFormValues(plain), description: "Relay " }),
    ).toMatchObject({ patch: {}, hasChanges: false });
  });

  test("policies and the certificate box compare as wire values", () => {
    expect(
      compareWithBaseline(stored, { ...untouched, dane: "require", allowInvalidCerts: true }).patch,
    ).toEqual({ dane: "require", allowInvalidCerts: true });
    expect(compareWithBaseline(stored, { ...untouched, startTls: "optional" }).patch).toEqual({});
  });

  test("on create, a typed name is a change; spaces alone are not", () => {
    const defaults = { ...stored, name: "" };
    const typed = (name: string) =>
      compareWithBaseline(defaults, { ...toFormValues(defaults), name }, "create").hasChanges;
    expect(typed("x")).toBe(true);
    expect(typed("  ")).toBe(false);
  });

  test("on edit, a stored name with spaces at its ends is no change", () => {
    const spaced = { ...stored, name: " relay " };
    expect(compareWithBaseline(spaced, toFormValues(spaced), "edit").hasChanges).toBe(false);
  });
});

describe("rebase: a newer version under an edited form", () => {
  test("untouched properties take the newer values; edited ones keep what they were edited against", () => {
    const newer = { ...stored, startTls: "disable" as const, description: "Theirs" };
    const edited = compareWithBaseline(stored, {
      ...untouched,
      description: "Mine",
      dane: "require",
    });
    expect(editedProperties(edited)).toEqual(["description", "dane"]);
    expect(rebase(stored, newer, editedProperties(edited))).toEqual({
      ...newer,
      description: stored.description,
    });
  });
});

describe("differences between two versions", () => {
  test("lists what someone else changed, in words", () => {
    const theirs = { ...stored, startTls: "disable" as const, tlsTimeout: 90_000 };
    const changes = differences(stored, theirs);
    expect(changes.map(describeChange)).toEqual([
      "STARTTLS: Optional → Disabled",
      "TLS handshake timeout: 3m → 1m 30s",
    ]);
    expect(isSameStrategy(stored, theirs)).toBe(false);
    expect(isSameStrategy(stored, { ...stored })).toBe(true);
    expect(applyPatch(stored, { startTls: "disable", tlsTimeout: 90_000 })).toEqual(theirs);
  });

  test("a description is shown with its hidden characters revealed", () => {
    expect(describeChange({ property: "description", from: null, to: "a\u202Eb" })).toBe(
      "Description: (none) → a⟨U+202E⟩b",
    );
  });
});
