import { describe, expect, test } from "vitest";
import { TransportError } from "../jmap/errors";
import { MethodResponses } from "../jmap/wire";
import { describeReloadFailure, objectKind } from "../pending-apply/reload-failure-text";
import { readReloadOutcome } from "./reload-settings";

// Every SetError shape of shared wire reference §11, in words.

describe("a failed reload, in words", () => {
  test("a build error names the object's kind, its id and the server's description", () => {
    const text = describeReloadFailure({
      kind: "setError",
      error: {
        type: "validationFailed",
        description: "Invalid endpoint URL",
        objectId: { object: "Tracer", id: "k2" },
      },
    });
    expect(text.summary).toBe(
      "Stalwart could not build its settings: the tracer (Tracer) with id “k2” is not valid.",
    );
    expect(text.details).toEqual(["The server said: Invalid endpoint URL."]);
    expect(text.objectId).toEqual({ object: "Tracer", id: "k2" });
  });

  test("a validation error lists each entry's property and type", () => {
    const text = describeReloadFailure({
      kind: "setError",
      error: {
        type: "validationFailed",
        objectId: { object: "MtaRoute", id: "b" },
        validationErrors: [
          { type: "Required", property: "address" },
          { type: "Invalid", property: "port" },
          { type: "TooLong", property: "name" },
        ],
      },
    });
    expect(text.summary).toMatch(/route \(MtaRoute\) with id “b” is not valid/);
    expect(text.details).toEqual([
      "“address” is required.",
      "“port” is not valid.",
      "“name” failed the “TooLong” check.",
    ]);
  });

  test("a missing object referred to is named, and a TLS strategy can be linked", () => {
    const text = describeReloadFailure({
      kind: "setError",
      error: { type: "notFound", objectId: { object: "MtaTlsStrategy", id: "jax0f0qaaeaa" } },
    });
    expect(text.summary).toBe(
      "Stalwart could not build its settings: the TLS strategy (MtaTlsStrategy) with id “jax0f0qaaeaa”, which another setting refers to, does not exist.",
    );
    expect(text.objectId).toEqual({ object: "MtaTlsStrategy", id: "jax0f0qaaeaa" });
  });

  test("missing permissions say an administrator must reload, in words", () => {
    const perAction = describeReloadFailure({
      kind: "setError",
      error: {
        type: "forbidden",
        description: "Insufficient permissions to perform action of type ReloadSettings",
      },
    });
    expect(perAction.summary).toBe(
      "Your account is not allowed to reload the settings. An administrator must reload them.",
    );
    expect(JSON.stringify(perAction)).not.toContain("actionReloadSettings");
    const method = describeReloadFailure({
      kind: "methodError",
      type: "forbidden",
      description: "You are not authorized to create objects of this type",
    });
    expect(method.summary).toMatch(/may not run server actions.*An administrator must/);
  });

  test("a refused @type and unknown failures still say what the server said", () => {
    expect(
      describeReloadFailure({
        kind: "setError",
        error: {
          type: "invalidPatch",
          description: "Missing or invalid '@type' property in object",
          properties: [""],
        },
      }),
    ).toEqual({
      summary: "The server did not understand the reload request.",
      details: ["The server said: Missing or invalid '@type' property in object."],
      objectId: undefined,
    });
    expect(describeReloadFailure({ kind: "setError", error: { type: "serverFail" } }).summary).toBe(
      "The server could not reload the settings (serverFail).",
    );
  });

  test("object kinds the page does not know keep the server's name", () => {
    expect(objectKind("SpamClassifier")).toBe("SpamClassifier");
    expect(objectKind("MtaTlsStrategy")).toBe("TLS strategy (MtaTlsStrategy)");
  });
});

describe("reading a reload's answer", () => {
  const answer = (name: string, args: Record<string, unknown>) =>
    new MethodResponses([[name, args, "reload"]]);

  test("created means applied; notCreated is the failure", () => {
    expect(readReloadOutcome(answer("x:Action/set", { created: { reload: { id: "a" } } }))).toEqual(
      { isApplied: true },
    );
    const error = { type: "notFound", objectId: { object: "MtaRoute", id: "b" } };
    expect(readReloadOutcome(answer("x:Action/set", { notCreated: { reload: error } }))).toEqual({
      isApplied: false,
      failure: { kind: "setError", error },
    });
  });

  test("a method error (no sysActionCreate) is a failure, not a crash", () => {
    expect(
      readReloadOutcome(
        answer("error", {
          type: "forbidden",
          description: "You are not authorized to create objects of this type",
        }),
      ),
    ).toEqual({
      isApplied: false,
      failure: {
        kind: "methodError",
        type: "forbidden",
        description: "You are not authorized to create objects of this type",
      },
    });
  });

  test("neither created nor refused is not applied; no answer at all cannot be read", () => {
    expect(readReloadOutcome(answer("x:Action/set", {}))).toMatchObject({ isApplied: false });
    expect(() => readReloadOutcome(new MethodResponses([]))).toThrow(TransportError);
  });
});
