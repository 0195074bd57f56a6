import { describe, expect, test } from "vitest";
import { type Instruction, parseExpression } from "./parser";

// A compact spelling of a program: variables by name, literals by value, operators by name.
function spell(step: Instruction): string {
  switch (step.op) {
    case "variable":
      return step.name;
    case "literal":
      return step.literal.kind === "constant"
        ? step.literal.name
        : JSON.stringify(String(step.literal.value));
    case "unary":
    case "binary":
      return step.operator;
    case "call":
      return `${step.fn.name}()`;
    case "jumpIf":
      return `jumpIf(${step.when},${step.skip})`;
    case "array":
      return `array(${step.size})`;
    case "regex":
      return `matches(${step.pattern})`;
    default:
      return step.op;
  }
}

function program(text: string): string {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.program.map(spell).join(" ");
}

function error(text: string) {
  const parsed = parseExpression(text);
  return parsed.ok ? undefined : parsed.error;
}

describe("postfix order", () => {
  test.each([
    ["retry_num + size * 2", 'retry_num size "2" multiply add'],
    ["retry_num - size - 1", 'retry_num size subtract "1" subtract'],
    ["!retry_num == 0", 'retry_num not "0" eq'],
    ["-retry_num > 1", 'retry_num minus "1" gt'],
    ["(retry_num + 1) * 2", 'retry_num "1" add "2" multiply'],
    ["retry_num > 0 ^ size > 1", 'retry_num "0" gt size "1" gt xor'],
    ["ends_with(rcpt_domain '.x')", 'rcpt_domain ".x" ends_with()'],
    ["[1, 2][0]", '"1" "2" array(2) "0" index'],
    ["recipients[0]", 'recipients "0" index'],
    ["'abc'[0]", '"abc" "0" array(1)'],
    ["[]", "array(0)"],
    ["matches('^a', rcpt_domain)", "rcpt_domain matches(^a)"],
    ["system('hostname')", "system"],
    ["retry_num >", "retry_num gt"],
    ["", ""],
  ])("%s → %s", (text, expected) => {
    expect(program(text)).toBe(expected);
  });

  test("&& and || jump past their right side and the operator itself", () => {
    expect(program("retry_num > 0 && last_error == 'tls'")).toBe(
      'retry_num "0" gt jumpIf(false,4) last_error "tls" eq and',
    );
    expect(program("retry_num || size && mx")).toBe(
      "retry_num jumpIf(true,5) size jumpIf(false,2) mx and or",
    );
    expect(program("if_then(retry_num && 1, 'a', 'b')")).toBe(
      'retry_num jumpIf(false,2) "1" and "a" "b" if_then()',
    );
  });
});

describe("errors", () => {
  test.each([
    ["ends_with(rcpt_domain)", 'Expression function "ends_with" expected 2 arguments, got 1', 0],
    [
      "is_local_domain('', rcpt_domain)",
      'Expression function "is_local_domain" expected 1 arguments, got 2',
      0,
    ],
    ["count(+1)", 'Expression function "count" expected 1 arguments, got 0', 0],
    ["contains([(1), 2], retry_num)", 'Expression function "array" expected 1 arguments, got 2', 9],
    [
      "contains([!retry_num, 2], retry_num)",
      'Expression function "array" expected 1 arguments, got 2',
      9,
    ],
    ["recipients[]", "Missing array index", 10],
    ["count", "Invalid token on the operator stack", 0],
    ["[1, 2", "Invalid token on the operator stack", 0],
    ["(1]", "Mismatched parentheses", 2],
    ["matches('a', rcpt, mx)", 'Expression function "matches" expected 2 arguments', 0],
    ["matches('a',)", 'Expression function "matches" expected 2 arguments', 0],
    ["system('hostname', mx)", "Expression function expected 1 argument", 0],
  ])("%s → %s at byte %d", (text, message, position) => {
    expect(error(text)).toEqual({ message, position });
  });

  test("a binary `-` first in an array element does not break the count (i32 arg count)", () => {
    expect(program("contains([-1, 2], retry_num)")).toBe(
      '"1" subtract "2" array(1) retry_num contains()',
    );
  });

  test("the tokenizer's errors come through unchanged", () => {
    expect(error("retry_num\t> 0")).toEqual({ message: "Invalid character '\\t'", position: 9 });
  });
});
