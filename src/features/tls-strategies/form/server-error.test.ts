import { describe, expect, it } from "vitest";
import { RequestError, SetObjectError, TransportError } from "../../../jmap/errors";
import { placeServerError } from "./server-error";

const PERMISSION = "sysMtaTlsStrategyUpdate";

describe("placeServerError", () => {
  it("puts a taken name on the name field, with the holder's id to link to", () => {
    const error = new SetObjectError(
      { type: "primaryKeyViolation", objectId: { object: "MtaTlsStrategy", id: "b" } },
      "create",
      "new",
    );
    expect(placeServerError(error, PERMISSION)).toEqual({ kind: "name-taken", id: "b" });
  });

  it("puts refused properties and Stalwart's validationErrors on this form's fields", () => {
    const error = new SetObjectError(
      {
        type: "invalidProperties",
        description: "too long",
        properties: ["tlsTimeout", "unknownProperty"],
        validationErrors: [
          { type: "Required", property: "name" },
          { type: "MaxLength", property: "description" },
        ],
      },
      "update",
      "a",
    );
    expect(placeServerError(error, PERMISSION)).toEqual({
      kind: "fields",
      fields: [
        { property: "tlsTimeout", message: "The server refused this value: too long" },
        { property: "name", message: "The server requires a value here." },
        { property: "description", message: "The server refused this value (MaxLength)." },
      ],
    });
  });

  it("says a SetError naming none of the form's fields above the buttons, without retry", () => {
    const error = new SetObjectError(
      { type: "invalidProperties", properties: ["id"] },
      "update",
      "a",
    );
    expect(placeServerError(error, PERMISSION)).toEqual({
      kind: "problem",
      message: "The server refused this change (invalidProperties).",
      canRetry: false,
    });
  });

  it("offers a retry for what may pass next time: a network failure or a 5xx", () => {
    const cases: [unknown, boolean][] = [
      [new TransportError("Could not reach the server."), true],
      [new RequestError({ type: "about:blank", status: 503, detail: "busy" }), true],
      [
        new RequestError({
          type: "urn:ietf:params:jmap:error:limit",
          status: 400,
          limit: "maxSizeRequest",
        }),
        false,
      ],
    ];
    for (const [error, canRetry] of cases) {
      expect(placeServerError(error, PERMISSION)).toMatchObject({ kind: "problem", canRetry });
    }
  });
});
