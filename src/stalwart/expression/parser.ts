// A literal port of Stalwart's shunting-yard parser (shared expressions reference §1.5-§1.7;
// P = crates/common/src/expr/parser.rs). It turns one expression text into the postfix program
// the evaluator runs. Its quirks are kept on purpose: arguments are counted by values, not
// commas; an operand may be missing (it then reads as ''); `&&`/`||` emit a jump that skips the
// right side and the operator; an array literal counts its elements through the operator stack,
// so a unary operator or `(` first in an element breaks the count.

import type { RegexPlan } from "./rust-regex";
import { debugString } from "./rust-text";
import {
  type BinaryOperator,
  ExpressionSyntaxError,
  type Literal,
  type Quirk,
  type Token,
  Tokenizer,
  type UnaryOperator,
} from "./tokenizer";
import type { FunctionInfo, TlsVariable } from "./vocabulary";

/** One step of a compiled expression; `at` is the byte offset of the construct in the text. */
export type Instruction =
  | { op: "variable"; name: TlsVariable; at: number }
  | { op: "literal"; literal: Literal }
  | { op: "global"; name: string }
  | { op: "capture"; group: number }
  | { op: "unary"; operator: UnaryOperator }
  | { op: "binary"; operator: BinaryOperator }
  | { op: "call"; fn: FunctionInfo; at: number }
  | { op: "jumpIf"; when: boolean; skip: number }
  | { op: "index" }
  | { op: "array"; size: number }
  | { op: "regex"; pattern: string; plan: RegexPlan; at: number }
  | { op: "system"; name: string; at: number }
  | { op: "metric"; name: string; at: number };

/** A compiled expression: instructions in postfix order (an empty text gives none). */
export type Program = readonly Instruction[];

/** The server's message and the byte offset it is about. */
export type ExpressionError = { message: string; position: number };

export type ParseResult =
  | { ok: true; program: Program; quirks: Quirk[] }
  | { ok: false; error: ExpressionError };

type StackEntry =
  | { kind: "binary"; operator: BinaryOperator; jump: number | undefined }
  | { kind: "unary"; operator: UnaryOperator; at: number }
  | { kind: "openParen" | "openBracket"; at: number }
  | { kind: "function"; fn: FunctionInfo; at: number }
  | { kind: "array"; isAccess: boolean; arity: number; at: number }
  | { kind: "special"; token: Token & { type: "regex" | "system" | "metric" } };

// P l.265-276. Unary operators bind tighter than all of these.
const PRECEDENCE: Record<BinaryOperator, number> = {
  multiply: 7,
  divide: 7,
  add: 6,
  subtract: 6,
  gt: 5,
  ge: 5,
  lt: 5,
  le: 5,
  eq: 4,
  ne: 4,
  xor: 3,
  and: 2,
  or: 1,
};

function positionOf(entry: StackEntry): number {
  return entry.kind === "special" ? entry.token.start : entry.kind === "binary" ? 0 : entry.at;
}

class Parser {
  private readonly output: Instruction[] = [];
  private readonly stack: StackEntry[] = [];
  private readonly argCounts: number[] = [];

  run(tokenizer: Tokenizer): Instruction[] {
    let lastIsVarOrFn = false;
    for (let token = tokenizer.next(); token; token = tokenizer.next()) {
      let isVarOrFn = false;
      switch (token.type) {
        case "variable":
          this.countArgument();
          isVarOrFn = true;
          this.output.push({ op: "variable", name: token.name, at: token.start });
          break;
        case "literal":
          this.countArgument();
          this.output.push({ op: "literal", literal: token.literal });
          break;
        case "global":
          this.countArgument();
          this.output.push({ op: "global", name: token.name });
          break;
        case "capture":
          this.countArgument();
          this.output.push({ op: "capture", group: token.group });
          break;
        case "unary":
          this.stack.push({ kind: "unary", operator: token.operator, at: token.start });
          break;
        case "openParen":
          this.stack.push({ kind: "openParen", at: token.start });
          break;
        case "closeParen":
        case "closeBracket":
          this.close(token);
          isVarOrFn = true;
          break;
        case "binary":
          this.binary(token.operator);
          break;
        case "function":
          this.countArgument();
          this.argCounts.push(0);
          this.stack.push({ kind: "function", fn: token.fn, at: token.start });
          break;
        case "regex":
        case "system":
        case "metric":
          this.countArgument();
          this.argCounts.push(0);
          this.stack.push({ kind: "special", token });
          break;
        case "openBracket":
          // P l.171-189: after a variable, a call or `)`/`]` it indexes; otherwise it builds.
          if (lastIsVarOrFn) {
            this.argCounts.push(1);
            this.stack.push({ kind: "array", isAccess: true, arity: 2, at: token.start });
          } else {
            this.countArgument();
            this.argCounts.push(0);
            this.stack.push({ kind: "array", isAccess: false, arity: 0, at: token.start });
          }
          this.stack.push({ kind: "openBracket", at: token.start });
          break;
        case "comma":
          this.flushOperators(() => false);
          break;
      }
      lastIsVarOrFn = isVarOrFn;
    }
    for (let entry = this.stack.pop(); entry; entry = this.stack.pop()) {
      if (!this.emitOperator(entry))
        throw new ExpressionSyntaxError("Invalid token on the operator stack", positionOf(entry));
    }
    return this.output;
  }

  // P l.233-244: every value adds one to the innermost argument count; an array literal's
  // element count is bumped only when the array entry sits right under the top of the stack.
  private countArgument(): void {
    const last = this.argCounts.length - 1;
    if (last < 0) return;
    this.argCounts[last] = (this.argCounts[last] ?? 0) + 1;
    const entry = this.stack[Math.max(0, this.stack.length - 2)];
    if (entry?.kind === "array" && !entry.isAccess) entry.arity += 1;
  }

  private emitOperator(entry: StackEntry): boolean {
    if (entry.kind === "binary") {
      this.patchJump(entry.jump);
      this.output.push({ op: "binary", operator: entry.operator });
      return true;
    }
    if (entry.kind === "unary") {
      this.output.push({ op: "unary", operator: entry.operator });
      return true;
    }
    return false;
  }

  /** Pops operators into the output while `shouldStop(top)` is false and they are operators. */
  private flushOperators(shouldStop: (entry: StackEntry) => boolean): void {
    for (let top = this.stack.at(-1); top && !shouldStop(top); top = this.stack.at(-1)) {
      if (top.kind !== "binary" && top.kind !== "unary") return;
      this.stack.pop();
      this.emitOperator(top);
    }
  }

  private binary(operator: BinaryOperator): void {
    const last = this.argCounts.length - 1;
    if (last >= 0) this.argCounts[last] = (this.argCounts[last] ?? 0) - 1;
    this.flushOperators(
      (top) => top.kind === "binary" && PRECEDENCE[operator] > PRECEDENCE[top.operator],
    );
    // P l.148-161: `&&` jumps when false, `||` when true, past the right side and operator.
    let jump: number | undefined;
    if (operator === "and" || operator === "or") {
      this.output.push({ op: "jumpIf", when: operator === "or", skip: 0 });
      jump = this.output.length - 1;
    }
    this.stack.push({ kind: "binary", operator, jump });
  }

  private patchJump(jump: number | undefined): void {
    const instruction = jump === undefined ? undefined : this.output[jump];
    if (jump !== undefined && instruction?.op === "jumpIf")
      this.output[jump] = { ...instruction, skip: this.output.length - jump };
  }

  private close(token: Token): void {
    const expected = token.type === "closeParen" ? "openParen" : "openBracket";
    for (;;) {
      const top = this.stack.pop();
      if (top?.kind === expected) break;
      if (!top || !this.emitOperator(top))
        throw new ExpressionSyntaxError("Mismatched parentheses", token.start);
    }
    const top = this.stack.at(-1);
    if (top?.kind === "function" || top?.kind === "array") {
      const got = this.argCounts.pop() ?? 0;
      const name = top.kind === "function" ? top.fn.name : "array";
      const expectedArgs = top.kind === "function" ? top.fn.arity : top.arity;
      if (got !== expectedArgs) {
        const message =
          top.kind === "array" && top.isAccess
            ? "Missing array index"
            : `Expression function ${debugString(name)} expected ${expectedArgs} arguments, got ${got}`;
        throw new ExpressionSyntaxError(message, top.at);
      }
      this.stack.pop();
      if (top.kind === "function") this.output.push({ op: "call", fn: top.fn, at: top.at });
      else if (top.isAccess) this.output.push({ op: "index" });
      else this.output.push({ op: "array", size: top.arity });
    } else if (top?.kind === "special") {
      const special = top.token;
      const got = this.argCounts.pop() ?? 0;
      if (special.type === "regex") {
        if (got !== 1)
          throw new ExpressionSyntaxError(
            'Expression function "matches" expected 2 arguments',
            special.start,
          );
        this.output.push({
          op: "regex",
          pattern: special.pattern,
          plan: special.plan,
          at: special.start,
        });
      } else {
        if (got !== 0)
          throw new ExpressionSyntaxError("Expression function expected 1 argument", special.start);
        this.output.push({ op: special.type, name: special.name, at: special.start });
      }
      this.stack.pop();
    }
  }
}

/**
 * Parses one expression text (an `if`, `then` or `else`) as the server does, into a postfix
 * Program, or the server's exact error message with a byte offset. Also returns the
 * tokenizer's quirks (a swallowed byte after `=`, text ignored after `}`), for warnings.
 */
export function parseExpression(text: string): ParseResult {
  const tokenizer = new Tokenizer(text);
  try {
    const program = new Parser().run(tokenizer);
    return { ok: true, program, quirks: tokenizer.quirks };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError)
      return { ok: false, error: { message: error.message, position: error.position } };
    throw error;
  }
}
