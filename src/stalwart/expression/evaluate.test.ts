import { describe, expect, test } from "vitest";
import { compileRules } from "./compile";
import { evaluateTls, normaliseDomain, type TlsVariables, tlsVariablesFor } from "./evaluate";

const FACTS: TlsVariables = {
  rcpt_domain: "example.com",
  mx: "",
  retry_num: 0,
  last_error: "none",
};

function pick(rules: [string, string][], elseText: string, variables: TlsVariables = FACTS) {
  const compiled = compileRules(
    rules.map(([condition, then]) => ({ if: condition, then })),
    elseText,
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
  return evaluateTls(compiled.compiled, variables);
}

/** The name an else-only expression gives, for checking one value's semantics. */
const value = (text: string, variables: TlsVariables = FACTS) => {
  const result = pick([], text, variables);
  return result.kind === "name" ? result.name : `needs ${result.construct}`;
};

describe("rule selection and the result", () => {
  test("says which rule decided", () => {
    expect(
      pick(
        [
          ["retry_num > 0", "'a'"],
          ["true", "'b'"],
        ],
        "'c'",
      ),
    ).toEqual({
      kind: "name",
      name: "b",
      rule: 1,
    });
    expect(pick([["false", "'a'"]], "'c'")).toEqual({ kind: "name", name: "c", rule: "else" });
  });

  test("a value that is not a string falls back to default, with the reason", () => {
    expect(pick([["true", "disable"]], "'c'")).toEqual({
      kind: "name",
      name: "default",
      rule: "fallback",
      from: 0,
      reason: `Rule 1's value is a bare setting word, not a quoted strategy name, so Stalwart uses "default".`,
    });
    expect(pick([], "5")).toMatchObject({ rule: "fallback", from: "else" });
    expect(pick([], " ")).toMatchObject({
      rule: "fallback",
      reason: expect.stringContaining("empty"),
    });
  });

  test("captures of a matches() stay visible to later rules", () => {
    const rules: [string, string][] = [
      ["matches('^([^.]+)\\.', rcpt_domain) && false", "'x'"],
      ["true", "'tls-' + $1"],
    ];
    expect(pick(rules, "'d'", { ...FACTS, rcpt_domain: "corp.example.com" })).toMatchObject({
      name: "tls-corp",
    });
  });
});

describe("what only the server can evaluate is refused only when reached", () => {
  test.each([
    ["sender == ''", "sender"],
    ["is_local_domain(rcpt_domain)", "is_local_domain"],
    ["key_get('', rcpt_domain) == 'x'", "key_get"],
    ["hash(rcpt_domain, 'md5') == 'x'", "hash"],
    ["system('hostname') == 'mx'", "system"],
    ["metric('x') > 1", "metric"],
    ["matches('\\p{Greek}', rcpt_domain)", "matches"],
    ["if_then(false, is_local_address(rcpt_domain), 1)", "is_local_address"],
    ["if_then(false, is_local_address(rcpt), 1)", "rcpt"],
  ])("%s needs %s", (condition, construct) => {
    expect(pick([[condition, "'x'"]], "'d'")).toEqual({
      kind: "needsServer",
      construct,
      rule: 0,
      part: "if",
    });
  });

  test("a skipped right side is never evaluated", () => {
    expect(pick([["retry_num > 0 && sender == ''", "'x'"]], "'d'")).toMatchObject({ name: "d" });
    expect(pick([["true || is_local_domain(mx)", "'x'"]], "'d'")).toMatchObject({ name: "x" });
  });

  test("the part that needed the server is named", () => {
    expect(pick([["true", "queue_name"]], "'d'")).toMatchObject({ part: "then", rule: 0 });
    expect(pick([], "source")).toMatchObject({ part: "else", rule: "else", construct: "source" });
  });
});

describe("values and functions follow the Rust semantics", () => {
  test.each([
    ["'' + 5", "default"],
    ["'a' + 1.0", "a1"],
    ["'n' + 1.5", "n1.5"],
    ["'x' + [1, 2]", "default"],
    ["'v' + 10 / 4", "v2.5"],
    ["'v' + (9223372036854775807 + 1)", "v9223372036854775807"],
    ["'v' + len('é')", "v2"],
    ["'v' + count([1, 2, 3])", "v3"],
    ["split('a,b', ',')[1]", "b"],
    ["rsplit_once('a.b.c', '.')[0]", "a.b"],
    ["email_part(' bob@example.com ', 'local')", "bob"],
    ["strip_suffix('mx.example.com', '.example.com')", "mx"],
    ["strip_prefix('mx.example.com', 'www.')", ""],
    ["to_uppercase('straße')", "STRASSE"],
    ["trim('\u00a0x\ufeff')", "x\ufeff"],
    ["if_then(contains([1], '1'), 'yes', 'no')", "yes"],
    ["if_then(is_intersect(['a', 'b'], ['c', 'b']), 'yes', 'no')", "yes"],
    ["if_then(is_ipv6_addr('::ffff:1.2.3.4') && !is_ipv4_addr('01.2.3.4'), 'yes', 'no')", "yes"],
    ["if_then('abc' > 'abd', 'yes', 'no')", "no"],
    ["if_then([1, 2] > 3, 'yes', 'no')", "yes"],
    ["if_then(last_error == 0, 'yes', 'no')", "yes"],
    ["if_then('1e2' == 100, 'yes', 'no')", "yes"],
    ["if_then(' 1' == 1, 'yes', 'no')", "no"],
    ["substring('héllo', 1, 3)", "éll"],
    ["split_n('a,b,c', ',', 1)[1]", "b,c"],
    ["sort(['b', 'a'], true)[0]", "a"],
    ["dedup(['a', 'a', 'b'])[1]", "b"],
    ["lines('a\r\nb\n')[1]", "b"],
    ["recipients[5]", ""],
  ])("%s → %j", (text, expected) => {
    expect(value(text, { ...FACTS, recipients: ["bob@example.com"] })).toBe(expected);
  });
});

describe("tlsVariablesFor", () => {
  test("normalises as the queue does", () => {
    expect(
      tlsVariablesFor({
        recipient: "Bob@Bücher.DE",
        mx: "MX1.Example.NET.",
        retryNum: 2.7,
        lastError: "tls",
      }),
    ).toEqual({
      rcpt_domain: "xn--bcher-kva.de",
      rcpt: "Bob@xn--bcher-kva.de",
      mx: "mx1.example.net",
      retry_num: 2,
      last_error: "tls",
    });
  });

  test("a bare or @-prefixed domain leaves rcpt unknown; mx defaults to the route pass", () => {
    expect(tlsVariablesFor({ recipient: "@Example.com", retryNum: 0, lastError: "none" })).toEqual({
      rcpt_domain: "example.com",
      mx: "",
      retry_num: 0,
      last_error: "none",
    });
  });

  test("domains that are not valid IDNs are just lower-cased", () => {
    expect(normaliseDomain("EXAMPLE.com")).toBe("example.com");
    expect(normaliseDomain("Ünï/x")).toBe("ünï/x");
  });
});
