import { expect, test } from "vitest";
import { domainToAscii, parseTarget, unicodeDomain } from "./target";

// What may be tested, and the words for what may not: the same in the browser and the server.

test.each([
  ["example.com", { input: "example.com", domain: "example.com" }],
  [" Example.COM. ", { input: "Example.COM.", domain: "example.com" }],
  [
    "user@Example.com",
    { input: "user@Example.com", domain: "example.com", address: "user@example.com" },
  ],
  ["bücher.example", { input: "bücher.example", domain: "xn--bcher-kva.example" }],
  ["BÜCHER.example", { input: "BÜCHER.example", domain: "xn--bcher-kva.example" }],
  [
    "a@b@example.com",
    { input: "a@b@example.com", domain: "example.com", address: "a@b@example.com" },
  ],
  ["_dmarc.example.com", { input: "_dmarc.example.com", domain: "_dmarc.example.com" }],
])("%j is tested as %j", (input, target) => expect(parseTarget(input)).toEqual({ target }));

test.each([
  ["", /Enter a domain/],
  ["exa mple.com", /no spaces/],
  ["192.0.2.1", /IP addresses/],
  ["user@[192.0.2.1]", /IP addresses/],
  ["[2001:db8::1]", /IP addresses/],
  ["2001:db8::1", /IP addresses/],
  ["0x7f.1", /IP addresses/],
  ["2130706433", /IP addresses/],
  ["１２７.０.０.１", /IP addresses/],
  ["localhost", /localhost/],
  ["LOCALHOST.", /localhost/],
  ["mail.localhost", /localhost/],
  ["@example.com", /not an address/],
  ["a..b", /not a domain/],
  ["%41.example", /not a domain/],
  ["example.com:25", /not a domain/],
  ["example.com/path", /not a domain/],
  [`${"a".repeat(64)}.com`, /up to 63/],
  [`${"abcdefghi.".repeat(26)}com`, /over 253/],
  ["x".repeat(301), /over 300/],
  ["exa$mple.com", /not a domain/],
])("%j is refused", (input, message) => {
  const result = parseTarget(input);
  expect("error" in result && result.error).toMatch(message);
});

test("the A-label comes from the URL parser, and reads back as Unicode", () => {
  expect(domainToAscii("münchen.de")).toBe("xn--mnchen-3ya.de");
  expect(domainToAscii("例え.テスト")).toBe("xn--r8jz45g.xn--zckzah");
  expect(unicodeDomain("xn--mnchen-3ya.de")).toBe("münchen.de");
  expect(unicodeDomain("xn--r8jz45g.xn--zckzah")).toBe("例え.テスト");
  expect(unicodeDomain("example.com")).toBe("example.com");
  expect(unicodeDomain("xn--.example")).toBe("xn--.example");
});
