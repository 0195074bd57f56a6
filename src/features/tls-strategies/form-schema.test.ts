import { describe, expect, test } from "vitest";
import { changedProperties, tlsStrategyFormSchema, toFormValues } from "./form-schema";
import type { TlsStrategy } from "./schema";

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
    const parsed = tlsStrategyFormSchema.parse({
      ...toFormValues(stored),
      description: "  ",
      tlsTimeout: "90s",
    });
    expect(parsed.tlsTimeout).toBe(90_000);
    expect(parsed.mtaStsTimeout).toBe(300_000);
    expect(parsed.description).toBeNull();
  });

  test.each(["", "has space", "quote'd", "ü-name", "a/b"])("refuses the name %j", (name) => {
    expect(tlsStrategyFormSchema.safeParse({ ...toFormValues(stored), name }).success).toBe(false);
  });

  test.each(["default", "invalid-tls", "Relay_2.example"])("accepts the name %j", (name) => {
    expect(tlsStrategyFormSchema.safeParse({ ...toFormValues(stored), name }).success).toBe(true);
  });
});

describe("changedProperties", () => {
  test("an untouched form changes nothing, even when a duration is written differently", () => {
    const values = tlsStrategyFormSchema.parse({ ...toFormValues(stored), mtaStsTimeout: "300s" });
    expect(changedProperties(stored, values)).toEqual({});
  });

  test("sends only what changed, never the name, and null for a cleared description", () => {
    const values = tlsStrategyFormSchema.parse({
      ...toFormValues(stored),
      name: "renamed",
      description: "",
      dane: "require",
    });
    expect(changedProperties(stored, values)).toEqual({ description: null, dane: "require" });
  });
});
