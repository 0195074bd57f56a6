import { type PageView, type TlsStrategyPage, STRATEGY_DEFAULTS, type TlsStrategy } from "../../../stalwart/tls-strategy";
import { describe, expect, test } from "vitest";
import { compareNames, pageWithCreated, pageWithout, pageWithUpdated } from "./cache-updates";


const strategy = (id: string, name: string): TlsStrategy => ({ id, name, ...STRATEGY_DEFAULTS });
const page = (names: string[], position = 0, total = names.length): TlsStrategyPage => ({
  strategies: names.map((name) => strategy(`id-${name}`, name)),
  position,
  total,
});
const view = (sort: PageView["sort"], search = "", size: PageView["size"] = 10): PageView => ({
  page: 1,
  size,
  sort,
  search,
});
const names = (p: TlsStrategyPage) => p.strategies.map((s) => s.name);

describe("a deletion shows on every cached page at once", () => {
  test("the row is gone and the total drops, on any sort", () => {
    for (const sort of ["name-asc", "newest"] as const) {
      const next = pageWithout(page(["a", "b", "c"], 0, 30), view(sort), [
        { id: "id-b", name: "b" },
      ]);
      expect(names(next)).toEqual(["a", "c"]);
      expect(next.total).toBe(29);
    }
  });

  test("a page of the same search that did not show it still counts one fewer", () => {
    const next = pageWithout(page(["x1", "x2"], 10, 12), view("name-asc", "x"), [
      { id: "id-x0", name: "x0" },
    ]);
    expect(names(next)).toEqual(["x1", "x2"]);
    expect(next.total).toBe(11);
  });

  test("a strategy someone else deleted earlier lowers the total only where it still showed", () => {
    const stale = pageWithout(page(["a", "b"], 0, 5), view("name-asc"), [], ["id-b"]);
    expect(names(stale)).toEqual(["a"]);
    expect(stale.total).toBe(4);
    const fresh = page(["a", "c"], 0, 4);
    expect(pageWithout(fresh, view("name-asc"), [], ["id-b"])).toBe(fresh);
  });

  test("a search that never found the name is left alone", () => {
    const before = page(["de1"], 0, 1);
    expect(pageWithout(before, view("name-asc", "de"), [{ id: "id-zz", name: "zz" }])).toBe(before);
  });
});

test("an update shows its new values wherever the strategy is cached", () => {
  const before = page(["a", "b"]);
  const changed = { ...strategy("id-b", "b"), startTls: "require" as const };
  const next = pageWithUpdated(before, new Map([["id-b", changed]]));
  expect(next.strategies[1]).toBe(changed);
  expect(next.strategies[0]).toBe(before.strategies[0]);
  expect(pageWithUpdated(before, new Map())).toBe(before);
});

describe("a creation lands where its place is known", () => {
  const created = strategy("id-new", "bb");

  test("between two names on a name-sorted page, pushing the last row off a full page", () => {
    expect(names(pageWithCreated(page(["a", "c"], 0, 2), view("name-asc"), created))).toEqual([
      "a",
      "bb",
      "c",
    ]);
    const full = page(["a", "b", "c"], 0, 7);
    const next = pageWithCreated(full, view("name-asc"), created);
    expect(names(next)).toEqual(["a", "b", "bb", "c"]);
    expect(next.total).toBe(8);
    const ten = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    const fullPage = pageWithCreated(page(ten, 0, 30), view("name-asc"), strategy("n", "ba"));
    expect(names(fullPage)).toEqual(["a", "b", "ba", "c", "d", "e", "f", "g", "h", "i"]);
  });

  test("not on a name-sorted page it falls before or after, but the total grows", () => {
    const later = page(["c", "d"], 10, 20);
    const next = pageWithCreated(later, view("name-asc"), created);
    expect(names(next)).toEqual(["c", "d"]);
    expect(next.total).toBe(21);
  });

  test("Z→A order is respected", () => {
    expect(names(pageWithCreated(page(["c", "a"]), view("name-desc"), created))).toEqual([
      "c",
      "bb",
      "a",
    ]);
  });

  test("newest first: at the top of page 1 only", () => {
    expect(names(pageWithCreated(page(["x", "y"]), view("newest"), created))).toEqual([
      "bb",
      "x",
      "y",
    ]);
    expect(names(pageWithCreated(page(["x", "y"], 10, 12), view("newest"), created))).toEqual([
      "x",
      "y",
    ]);
  });

  test("oldest first: at the end of the last page, if it has room", () => {
    expect(names(pageWithCreated(page(["x", "y"], 10, 12), view("oldest"), created))).toEqual([
      "x",
      "y",
      "bb",
    ]);
  });

  test("a search that does not find the name is left alone", () => {
    const before = page(["de1"]);
    expect(pageWithCreated(before, view("name-asc", "de"), created)).toBe(before);
  });
});

test("names compare byte-wise, as UTF-8 (code point order)", () => {
  expect(compareNames("a", "b")).toBeLessThan(0);
  expect(compareNames("ab", "a")).toBeGreaterThan(0);
  // U+1F600 sorts after U+FFFD in UTF-8, though its UTF-16 surrogates sort before.
  expect(compareNames("\u{1F600}", "\uFFFD")).toBeGreaterThan(0);
  expect("\u{1F600}" < "\uFFFD").toBe(true);
});
