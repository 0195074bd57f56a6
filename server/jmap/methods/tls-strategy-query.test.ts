import { describe, expect, test } from "vitest";
import { testServer } from "../../test-support";

const QUERY = "x:MtaTlsStrategy/query";

describe("x:MtaTlsStrategy/query", () => {
  async function withNames(names: string[]) {
    const server = await testServer();
    const ids: Record<string, string> = {};
    for (const name of names) ids[name] = await server.create({ name });
    const query = async (args: Record<string, unknown>) =>
      (await server.one(QUERY, { position: 0, calculateTotal: true, ...args })).args;
    const namesOf = (result: Record<string, unknown>) => {
      const byId = Object.fromEntries(Object.entries(ids).map(([n, id]) => [id, n]));
      return (result.ids as string[]).map((id) => byId[id] ?? "(seed)");
    };
    return { server, ids, query, namesOf };
  }

  test("without a sort, newest first; the answer has queryState n and total", async () => {
    const { query, namesOf } = await withNames(["b", "a", "c"]);
    const result = await query({});
    expect(namesOf(result)).toEqual(["c", "a", "b", "(seed)", "(seed)"]);
    expect(result).toMatchObject({
      queryState: "n",
      canCalculateChanges: true,
      position: 0,
      total: 5,
    });
    expect(await query({ calculateTotal: false })).not.toHaveProperty("total");
  });

  test("sorts by name (byte-wise) and by id, both ways; other properties are unsupportedSort", async () => {
    const { server, query, namesOf } = await withNames(["b", "B", "a"]);
    const filter = { nameIsLessThan: "c" };
    expect(namesOf(await query({ filter, sort: [{ property: "name" }] }))).toEqual(["B", "a", "b"]);
    expect(
      namesOf(await query({ filter, sort: [{ property: "name", isAscending: false }] })),
    ).toEqual(["b", "a", "B"]);
    expect(namesOf(await query({ filter, sort: [{ property: "id", isAscending: true }] }))).toEqual(
      ["b", "B", "a"],
    );
    const error = await server.one(QUERY, { sort: [{ property: "description" }] });
    expect([error.name, error.args.type]).toEqual(["error", "unsupportedSort"]);
  });

  test("filters by exact name and by byte-wise ranges, combined with AND", async () => {
    const { server, query, namesOf } = await withNames([
      "de",
      "default-2",
      "dev-relay",
      "df",
      "Default",
    ]);
    expect(namesOf(await query({ filter: { name: "Default" } }))).toEqual(["Default"]);
    expect(await query({ filter: { name: "defaul" } })).toMatchObject({ ids: [], total: 0 });
    const prefix = { nameIsGreaterThanOrEqual: "de", nameIsLessThan: "df" };
    // "default" is the seed strategy; "Default" sorts before "d" byte-wise, "df" is the bound.
    expect(namesOf(await query({ filter: prefix, sort: [{ property: "name" }] }))).toEqual([
      "de",
      "(seed)",
      "default-2",
      "dev-relay",
    ]);
    expect(
      namesOf(
        await query({
          filter: {
            operator: "AND",
            conditions: [{ nameIsGreaterThan: "de" }, { nameIsLessThanOrEqual: "df" }],
          },
          sort: [{ property: "name" }],
        }),
      ),
    ).toEqual(["(seed)", "default-2", "dev-relay", "df"]);
    for (const operator of ["OR", "NOT"]) {
      const error = await server.one(QUERY, { filter: { operator, conditions: [{ name: "de" }] } });
      expect(error.args).toEqual({
        type: "unsupportedFilter",
        description: "Only AND is supported in filters",
      });
    }
    const other = await server.one(QUERY, { filter: { description: "x" } });
    expect(other.args.type).toBe("unsupportedFilter");
  });

  test("pages by position (negative from the end), anchor and limit", async () => {
    const { server, ids, query, namesOf } = await withNames(["a", "b", "c", "d"]);
    const sort = [{ property: "name" }];
    const filter = { nameIsLessThan: "da" };
    expect(namesOf(await query({ filter, sort, position: 1, limit: 2 }))).toEqual(["b", "c"]);
    expect(await query({ filter, sort, position: -1 })).toMatchObject({ position: 3, total: 4 });
    expect(await query({ filter, sort, position: -10 })).toMatchObject({ position: 0 });
    expect(await query({ filter, sort, position: 10 })).toMatchObject({
      ids: [],
      position: 0,
      total: 4,
    });
    expect(
      namesOf(await query({ filter, sort, anchor: ids.b, anchorOffset: 1, limit: 1 })),
    ).toEqual(["c"]);
    const error = await server.one(QUERY, { anchor: "aaaaaaaaaaaa", position: 0 });
    expect(error.args.type).toBe("anchorNotFound");
    expect(await query({ filter, sort, limit: 2 })).toMatchObject({ limit: 2 });
    expect(await query({ filter, sort, limit: 6000 })).not.toHaveProperty("limit");
  });
});

test("name order is UTF-8 byte order, also where JavaScript's string order differs", async () => {
  const server = await testServer();
  // U+FF21 (Ａ) sorts before U+1F600 (😀) in UTF-8, but after it in UTF-16 code units.
  for (const name of ["😀", "Ａ", "a"]) await server.create({ name });
  const { args } = await server.one("x:MtaTlsStrategy/query", {
    filter: { nameIsGreaterThan: "invalid-tls" },
    sort: [{ property: "name" }],
    position: 0,
  });
  const got = await server.one("x:MtaTlsStrategy/get", { ids: args.ids, properties: ["name"] });
  expect((got.args.list as { name: string }[]).map((s) => s.name)).toEqual(["Ａ", "😀"]);
  const below = await server.one("x:MtaTlsStrategy/query", {
    filter: { nameIsLessThan: "😀", nameIsGreaterThan: "z" },
    position: 0,
  });
  expect(below.args.ids).toHaveLength(1);
});
