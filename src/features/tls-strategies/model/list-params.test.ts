import { describe, expect, test } from "vitest";
import { prefixRange } from "../../../stalwart/tls-strategy";
import { listSearch, parseListView } from "./list-params";

const utf8 = (text: string) => Buffer.from(text, "utf8");
/** What the server does: byte-wise comparison of UTF-8 names. */
function inRange(name: string, range: ReturnType<typeof prefixRange>) {
  const isAbove = Buffer.compare(utf8(name), utf8(range.nameIsGreaterThanOrEqual)) >= 0;
  const isBelow =
    range.nameIsLessThan === undefined ||
    Buffer.compare(utf8(name), utf8(range.nameIsLessThan)) < 0;
  return isAbove && isBelow;
}

describe("prefixRange", () => {
  test.each([
    ["de", "df"],
    ["z", "{"],
    ["az", "a{"],
    ["Z", "["],
    ["a~", "a\u007f"],
    ["a\u007f", "a\u0080"],
    ["é", "ê"],
    ["straße", "straßf"],
    ["日本", "日\u{672d}"],
    ["x\u{10ffff}", "y"],
    ["\u{d7ff}", "\u{e000}"],
    ["😀", "😁"],
  ])("%j is bounded above by %j", (prefix, upper) => {
    expect(prefixRange(prefix)).toEqual({
      nameIsGreaterThanOrEqual: prefix,
      nameIsLessThan: upper,
    });
  });

  test("a prefix of only the last code point has no upper bound", () => {
    expect(prefixRange("\u{10ffff}")).toEqual({ nameIsGreaterThanOrEqual: "\u{10ffff}" });
  });

  test("finds exactly the names that start with the prefix, byte-wise as the server compares", () => {
    const names = [
      "d",
      "de",
      "default",
      "dev-relay",
      "df",
      "dez",
      "de\u007f",
      "de~",
      "déjà",
      "e",
      "De",
      "dê",
      "z",
      "z{",
      "zz",
      "z\u{10ffff}",
      "y",
      "日本",
      "日本語",
      "日\u{672d}",
      "日木",
      "😀x",
      "😁",
    ];
    for (const prefix of ["de", "d", "z", "zz", "日本", "😀", "dé", "De"]) {
      const range = prefixRange(prefix);
      expect(names.filter((name) => inRange(name, range))).toEqual(
        names.filter((name) => name.startsWith(prefix)),
      );
    }
  });
});

describe("list view in the URL", () => {
  test("defaults stay out of the URL and everything else round-trips", () => {
    expect(listSearch(parseListView(new URLSearchParams("")))).toBe("");
    const view = { page: 3, size: 50, sort: "newest", search: "de" } as const;
    expect(parseListView(new URLSearchParams(listSearch(view)))).toEqual(view);
  });

  test("nonsense in the URL falls back to the defaults", () => {
    expect(parseListView(new URLSearchParams("page=-2&size=7&sort=colour"))).toEqual({
      page: 1,
      size: 25,
      sort: "name-asc",
      search: "",
    });
  });

  test.each(["x%50", "100%", "a+b", "two words", "café", "日本 relay", "%2F%25+ é"])(
    "a search round-trips through the URL decoded once: %j",
    (search) => {
      const url = listSearch({ page: 1, size: 25, sort: "name-asc", search });
      expect(parseListView(new URLSearchParams(url)).search).toBe(search);
    },
  );

  test("spaces at either end of a search are not searched for", () => {
    expect(parseListView(new URLSearchParams("q=default%20")).search).toBe("default");
    expect(parseListView(new URLSearchParams("q=+de+")).search).toBe("de");
  });
});
