import { describe, expect, test } from "vitest";
import {
  decodeUtf8,
  isJsonObject,
  JsonFloat,
  JsonSyntaxError,
  type JsonValue,
  keysInTextOrder,
  parseJson,
} from "./json";

describe("parseJson reads what JSON.parse reads", () => {
  test.each([
    '{"a":[1,-2,"x",true,false,null,{}],"b":{"c":"\\u00e9\\n\\""}}',
    "[]",
    '"\\ud83d\\ude00"',
    " 0 ",
    '{"a":1,"a":2}',
  ])("%s", (text) => {
    expect(JSON.parse(JSON.stringify(parseJson(text)))).toEqual(JSON.parse(text));
  });

  test.each([
    "",
    "{",
    '{"a":}',
    "[1,]",
    "01",
    "1.",
    '"\\x"',
    '"a\u0001"',
    "nul",
    "{} x",
    "'a'",
    '"\\ud800x"',
    '"x\\udc00"',
    "1e400",
    "\uFEFF{}",
  ])("refuses %j", (text) => {
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
  });
});

test("a number written with a fraction or an exponent stays recognisable", () => {
  const value = parseJson('{"whole":300000,"written":300000.0,"exponent":3e5,"half":1.5}');
  expect(isJsonObject(value) && value.whole).toBe(300000);
  for (const key of ["written", "exponent", "half"]) {
    const number = isJsonObject(value) ? value[key] : undefined;
    expect(number).toBeInstanceOf(JsonFloat);
  }
  expect(isJsonObject(value) && (value.written as JsonFloat).text).toBe("300000.0");
});

test("prototype-looking keys are ordinary keys of an object without a prototype", () => {
  const value = parseJson('{"__proto__":{"name":"p1"},"constructor":1,"toString":"x"}');
  expect(Object.getPrototypeOf(value)).toBeNull();
  expect(Object.keys(value as object)).toEqual(["__proto__", "constructor", "toString"]);
  expect(JSON.stringify(value)).toBe('{"__proto__":{"name":"p1"},"constructor":1,"toString":"x"}');
});

test("nesting is bounded, without exhausting the stack", () => {
  const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
  expect(() => parseJson(deep)).toThrow(/Nesting deeper than 128 levels/);
  expect(() => parseJson(`${"[".repeat(100)}${"]".repeat(100)}`)).not.toThrow();
});

test("bytes that are not UTF-8 are refused, not replaced", () => {
  expect(decodeUtf8(new Uint8Array([0x7b, 0x7d]))).toBe("{}");
  expect(() => decodeUtf8(new Uint8Array([0x22, 0xff, 0x22]))).toThrow(JsonSyntaxError);
});

describe("keysInTextOrder", () => {
  test("gives the keys in the order of the text where JavaScript's own order differs", () => {
    const value = parseJson('{"01":1,"1":2,"b":3,"0":4,"b":5}') as Record<string, JsonValue>;
    expect(Object.keys(value)).toEqual(["0", "1", "01", "b"]);
    // A repeated key counts where it was last written.
    expect(keysInTextOrder(value)).toEqual(["01", "1", "0", "b"]);
    expect(value.b).toBe(5);
    // Nothing to record when the orders agree; the record never shows in the JSON.
    const plain = parseJson('{"a":1,"0":2}') as Record<string, JsonValue>;
    expect(keysInTextOrder(plain)).toEqual(["a", "0"]);
    expect(keysInTextOrder(parseJson('{"0":1,"a":2}') as object)).toEqual(["0", "a"]);
    expect(JSON.stringify(value)).toBe('{"0":4,"1":2,"01":1,"b":5}');
  });
});
