import { describe, expect, test } from "vitest";
import type { TlsStrategy } from "../../../stalwart/tls-strategy";
import {
  createFormSchema,
  editFormSchema,
  NAME_RULE,
  nameProblem,
  toFormValues,
} from "./form-schema";

const stored: TlsStrategy = {
  id: "jax0f0qaaeaa",
  name: "default",
  description: "Default TLS settings",
  allowInvalidCerts: false,
  dane: "optional",
  mtaSts: "optional",
  startTls: "optional",
  mtaStsTimeout: 300_000,
  tlsTimeout: 180_000,
};

describe("the form schema", () => {
  test("create starts from the server's defaults", () => {
    expect(toFormValues(null)).toEqual({
      name: "",
      description: "",
      dane: "optional",
      mtaSts: "optional",
      startTls: "optional",
      allowInvalidCerts: false,
      tlsTimeout: "3m",
      mtaStsTimeout: "5m",
    });
  });

  test("turns durations into milliseconds and an empty description into null", () => {
    const parsed = createFormSchema.parse({
      ...toFormValues(stored),
      description: "  ",
      tlsTimeout: "90s",
    });
    expect(parsed.tlsTimeout).toBe(90_000);
    expect(parsed.mtaStsTimeout).toBe(300_000);
    expect(parsed.description).toBeNull();
  });

  test.each([
    ["", "Enter a name."],
    ["has space", NAME_RULE],
    ["quote'd", NAME_RULE],
    ["a/b", NAME_RULE],
    ["back\\slash", NAME_RULE],
    ["x".repeat(256), "Use at most 255 characters."],
  ])("refuses the new name %j, saying why", (name, message) => {
    const parsed = createFormSchema.safeParse({ ...toFormValues(stored), name });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(message);
  });

  test.each([
    ["\u202Etluafed", "U+202E"],
    ["de\u200Bfault", "U+200B"],
    ["tab\there", "U+0009"],
    ["no\u00A0break", "U+00A0"],
    ["\u2066isolate\u2069", "U+2066, U+2069"],
    ["de\u034Ffault", "U+034F"],
  ])(
    "refuses the invisible or direction-changing characters in %j and names them",
    (name, codes) => {
      expect(nameProblem(name)).toContain(`(${codes})`);
      expect(nameProblem(name)).toMatch(/pass for another name/);
    },
  );

  test("refuses look-alike alphabets mixed in one new name", () => {
    expect(nameProblem("d\u0435fault")).toMatch(/Latin and Cyrillic.*pass for another name/);
    expect(nameProblem("\u0440\u0435\u043B\u0435")).toBeNull();
  });

  test.each([
    "default",
    "invalid-tls",
    "Relay_2.example",
    "défaut",
    "de\u0301faut",
    "ретранслятор",
    "中继",
    "x".repeat(255),
  ])("accepts the new name %j: letters and digits of any alphabet", (name) => {
    expect(createFormSchema.safeParse({ ...toFormValues(stored), name }).success).toBe(true);
  });

  test.each(["eu relay", "défaut", "\u202Etluafed", "it's", ""])(
    "never checks the stored name %j on edit: it cannot change",
    (name) => {
      expect(editFormSchema.safeParse({ ...toFormValues(stored), name }).success).toBe(true);
    },
  );
});
