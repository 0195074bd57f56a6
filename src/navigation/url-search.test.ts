import { expect, test } from "vitest";
import { LIST_PATH } from "../paths";
import { sameOriginPath } from "./url-search";

const ORIGIN = "https://tls.example.com";
const LIST = LIST_PATH;

test.each([
  [`${LIST_PATH}/abc`, `${LIST_PATH}/abc`],
  [`${LIST}?q=de&page=2#top`, `${LIST}?q=de&page=2#top`],
  ["/settings/x%2F%2Fevil", "/settings/x%2F%2Fevil"],
  ["settings", "/settings"],
])("a path of this origin is followed: %j", (next, expected) => {
  expect(sameOriginPath(next, ORIGIN, LIST)).toBe(expected);
});

test.each([
  "//evil.example/",
  "/\\evil.example/",
  "\\\\evil.example/",
  "/\t/evil.example/",
  "/\n/evil.example/",
  " //evil.example/",
  "https://evil.example/",
  "http://tls.example.com/x",
  "https://tls.example.com:8443/x",
  "javascript:alert(1)",
  "data:text/html,hi",
  "http://[::1",
])("anything that leaves the origin lands on the list: %j", (next) => {
  expect(sameOriginPath(next, ORIGIN, LIST)).toBe(LIST);
});

test("no next, or an empty one, lands on the list", () => {
  expect(sameOriginPath(null, ORIGIN, LIST)).toBe(LIST);
  expect(sameOriginPath("", ORIGIN, LIST)).toBe(LIST);
});
