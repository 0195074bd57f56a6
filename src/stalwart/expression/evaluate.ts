// The stack machine that runs a compiled expression, and the `tls` caller around it (shared
// expressions reference §2.5-§2.8, §6.2; E = crates/common/src/expr/eval.rs, D = delivery.rs).
// What needs the server (store and DNS functions, system(), metric(), hash(), a regex JS cannot
// reproduce, a variable the page did not supply) is refused only when evaluation reaches it,
// because `&&`/`||` may skip it, exactly as on the server.

import type { CompiledExpression } from "./compile";
import { callPureFunction } from "./functions";
import type { Program } from "./parser";
import { asciiLowercase, isAscii } from "./rust-text";
import {
  applyBinary,
  applyUnary,
  array,
  EMPTY,
  float,
  integer,
  intoArray,
  isTruthy,
  literalValue,
  text,
  toIndex,
  toText,
  type Value,
} from "./value";
import type { TlsVariable } from "./vocabulary";

/** Variable values as the page knows them; an absent one is "unknown here". */
export type TlsVariables = Partial<
  Record<TlsVariable, string | number | bigint | readonly string[]>
>;

/** Where a result came from: a rule (0-based, sorted order), `else`, or the "default" fallback. */
export type RuleRef = number | "else";

/**
 * What the expression gives. `name` is handed to the TLS strategy lookup verbatim. Rule
 * `"fallback"` means the server's `unwrap_or("default")`: an empty expression or a value that
 * is not a string; `from` then says which rule's value it was and `reason` says why in words.
 * `needsServer` names the first construct evaluation reached that only the server can run.
 */
export type TlsEvaluation =
  | { kind: "name"; name: string; rule: RuleRef }
  | { kind: "name"; name: "default"; rule: "fallback"; reason: string; from?: RuleRef }
  | { kind: "needsServer"; construct: string; rule: RuleRef; part: "if" | "then" | "else" };

class NeedsServer {
  constructor(readonly construct: string) {}
}

function inputValue(value: string | number | bigint | readonly string[]): Value {
  if (typeof value === "string") return text(value);
  if (typeof value === "bigint") return integer(value);
  if (typeof value === "number")
    return Number.isInteger(value) ? integer(BigInt(value)) : float(value);
  return array(value.map(text));
}

type Machine = { variables: TlsVariables; captures: string[] };

function run(program: Program, machine: Machine): Value {
  const stack: Value[] = [];
  const pop = () => stack.pop() ?? EMPTY;
  const popMany = (n: number) => {
    const values: Value[] = Array.from({ length: n }, () => EMPTY);
    for (let i = n - 1; i >= 0; i--) values[i] = pop();
    return values;
  };
  for (let pc = 0; pc < program.length; pc++) {
    const step = program[pc];
    if (!step) break;
    switch (step.op) {
      case "variable": {
        const value = machine.variables[step.name];
        if (value === undefined) throw new NeedsServer(step.name);
        stack.push(inputValue(value));
        break;
      }
      case "literal":
        stack.push(literalValue(step.literal));
        break;
      case "global":
        // Q l.382-384: the queue context resolves every `$name` to 0.
        stack.push(integer(0n));
        break;
      case "capture":
        stack.push(text(machine.captures[step.group] ?? ""));
        break;
      case "system":
      case "metric":
        throw new NeedsServer(step.op);
      case "unary":
        stack.push(applyUnary(step.operator, pop()));
        break;
      case "binary": {
        const right = pop();
        stack.push(applyBinary(step.operator, pop(), right));
        break;
      }
      case "call": {
        if (step.fn.isServerOnly) throw new NeedsServer(step.fn.name);
        const result = callPureFunction(step.fn.name, popMany(step.fn.arity));
        if (result === undefined) throw new NeedsServer(step.fn.name);
        stack.push(result);
        break;
      }
      case "jumpIf": {
        // E l.291-297: test the top without popping; skip the right side and the operator.
        const top = stack.at(-1);
        if ((top !== undefined && isTruthy(top)) === step.when) pc += step.skip;
        break;
      }
      case "index": {
        const index = toIndex(pop()) ?? 0n;
        const items = intoArray(pop());
        stack.push(index < BigInt(items.length) ? (items[Number(index)] ?? EMPTY) : EMPTY);
        break;
      }
      case "array":
        stack.push(array(popMany(step.size)));
        break;
      case "regex": {
        machine.captures.length = 0;
        const haystack = toText(pop());
        if (step.plan.kind !== "js") throw new NeedsServer("matches");
        const found = step.plan.regex.exec(haystack);
        if (found) machine.captures.push(...Array.from(found, (group) => group ?? ""));
        stack.push(integer(found ? 1n : 0n));
        break;
      }
    }
  }
  return pop();
}

const TYPE_WORDS: Record<Value["type"], string> = {
  string: "a name",
  integer: "a number",
  float: "a number",
  array: "a list",
  constant: "a bare setting word",
};

function finish(value: Value, rule: RuleRef): TlsEvaluation {
  if (value.type === "string") return { kind: "name", name: value.value, rule };
  const where = rule === "else" ? "The otherwise value" : `Rule ${rule + 1}'s value`;
  return {
    kind: "name",
    name: "default",
    rule: "fallback",
    from: rule,
    reason: `${where} is ${TYPE_WORDS[value.type]}, not a quoted strategy name, so Stalwart uses "default".`,
  };
}

/**
 * Evaluates a compiled `tls` expression for one set of variables, as the server's eval_if
 * followed by `unwrap_or("default")` (E l.159-195, D l.318-324): rules in order, the first
 * truthy `if` picks its `then`, else `else`; captures of `matches` persist across rules.
 */
export function evaluateTls(compiled: CompiledExpression, variables: TlsVariables): TlsEvaluation {
  if (compiled.rules.length === 0 && compiled.else.length === 0)
    return {
      kind: "name",
      name: "default",
      rule: "fallback",
      reason: 'The expression is empty, so Stalwart uses "default".',
    };
  const machine: Machine = { variables, captures: [] };
  let rule: RuleRef = "else";
  let part: "if" | "then" | "else" = "if";
  try {
    for (const [index, candidate] of compiled.rules.entries()) {
      rule = index;
      part = "if";
      if (isTruthy(run(candidate.if, machine))) {
        part = "then";
        return finish(run(candidate.then, machine), index);
      }
    }
    rule = "else";
    part = "else";
    return finish(run(compiled.else, machine), "else");
  } catch (error) {
    if (error instanceof NeedsServer)
      return { kind: "needsServer", construct: error.construct, rule, part };
    throw error;
  }
}

/**
 * The recipient domain as the queue stores it (Q l.482-494): an ASCII domain lower-cased, a
 * non-ASCII one turned into its A-label (the URL parser's UTS-46, close to the server's idna),
 * falling back to Unicode lower-casing when that fails.
 */
export function normaliseDomain(domain: string): string {
  if (isAscii(domain)) return asciiLowercase(domain);
  if (!/[\s/?#:@[\]\\%]/.test(domain)) {
    try {
      const host = new URL(`http://${domain}`).hostname;
      if (host !== "") return host;
    } catch {
      // Not a valid IDN: the server falls back to lower-casing too.
    }
  }
  return domain.toLowerCase();
}

/** What the page asks: a recipient (or bare domain), an MX host, the retry count, last error. */
export type DeliveryFacts = { recipient: string; mx?: string; retryNum: number; lastError: string };

/**
 * The variables the server would feed the `tls` expression (§6.2): `rcpt_domain` from the
 * recipient with any `user@` or `@` stripped and normalised, `rcpt` as `local@domain` (left
 * unknown for a bare domain), `mx` lower-cased without one trailing dot (`''` is the
 * route-level pass), `retry_num` and `last_error` as given. Others stay unknown.
 */
export function tlsVariablesFor(facts: DeliveryFacts): TlsVariables {
  const at = facts.recipient.lastIndexOf("@");
  const local = at < 0 ? "" : facts.recipient.slice(0, at);
  const domain = normaliseDomain(facts.recipient.slice(at + 1));
  const mx = (facts.mx ?? "").toLowerCase();
  const variables: TlsVariables = {
    rcpt_domain: domain,
    mx: mx.endsWith(".") ? mx.slice(0, -1) : mx,
    retry_num: Math.max(0, Math.trunc(facts.retryNum)),
    last_error: facts.lastError,
  };
  if (local !== "") variables.rcpt = `${local}@${domain}`;
  return variables;
}
