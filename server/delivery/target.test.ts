import { expect, test } from "vitest";
import { parseTarget } from "./target";

// What may be tested, and the words for what may not.

test.each([
  ["example.com", { input: "example.com", domain: "example.com" }],
  [" Example.COM. ", { input: "Example.COM.", domain: "example.com" }],
  [
    "user@Example.com",
    { input: "user@Example.com", domain: "example.com", address: "user@example.com" },
  ],
  ["bücher.example", { input: "bücher.example", domain: "xn--bcher-kva.example" }],
  [
    "a@b@example.com",
    { input: "a@b@example.com", domain: "example.com", address: "a@b@example.com" },
  ],
])("%j is tested as %j", (input, target) => expect(parseTarget(input)).toEqual({ target }));

test.each([
  ["", /Enter a domain/],
  ["exa mple.com", /no spaces/],
  ["192.0.2.1", /IP addresses/],
  ["user@[192.0.2.1]", /IP addresses/],
  ["[2001:db8::1]", /IP addresses/],
  ["localhost", /localhost/],
  ["mail.localhost", /localhost/],
  ["@example.com", /not an address/],
  ["a..b", /not a domain/],
  [`${"a".repeat(64)}.com`, /up to 63/],
  [`${"abcdefghi.".repeat(26)}com`, /over 253/],
  ["x".repeat(301), /over 300/],
  ["exa$mple.com", /not a domain/],
])("%j is refused", (input, message) => {
  const result = parseTarget(input);
  expect("error" in result && result.error).toMatch(message);
});
