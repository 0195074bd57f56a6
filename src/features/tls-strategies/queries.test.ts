import { expect, test } from "vitest";
import { quotedNames } from "./queries";

test("strategy names are read from the quoted literals of an expression's values", () => {
  expect(quotedNames(["'invalid-tls'", "'default'"])).toEqual(new Set(["invalid-tls", "default"]));
  expect(quotedNames(["if_then('a', 'b')", "'it\\'s'", "no literal"])).toEqual(
    new Set(["a", "b", "it's"]),
  );
});
