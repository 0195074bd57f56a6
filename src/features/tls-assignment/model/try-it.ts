// "Try it": which rule fires for a recipient domain, an MX host, a retry number and a last
// error, and which strategy delivery then uses (shared expressions reference §2.6, §2.8,
// §6.2), evaluated in the browser on the rules as shown.

import { compileRules } from "../../../stalwart/expression/compile";
import { evaluateTls, tlsVariablesFor } from "../../../stalwart/expression/evaluate";
import type { TlsRules } from "../../../stalwart/outbound-tls-rules";

/** What the page asks: the inputs of the Try it region, as typed (retry number parsed). */
export interface TryInput {
  recipientDomain: string;
  mxHost: string;
  retryNumber: number;
  lastError: string;
}

/** How a picked name resolves (§2.8): a stored strategy, or Stalwart's built-in defaults. */
export type Resolution = "strategy" | "built-in defaults" | "unknown";

export type TryAnswer =
  | {
      kind: "picked";
      /** The rule that fired (0-based, row order), or "otherwise". */
      rule: number | "otherwise";
      name: string;
      resolution: Resolution;
      /** Set when the value was not a name and Stalwart fell back to "default". */
      fallback?: string;
    }
  | { kind: "cannotTell"; construct: string; rule: number | "otherwise" }
  | { kind: "doesNotCompile"; message: string };

/**
 * Evaluates `tls` for `input` (rcpt_domain normalised as the queue stores it; mx lower-cased,
 * '' for the pass before any MX is known). A name no strategy has resolves to the built-in
 * defaults, and so does "default" when no strategy has that name (§2.8); with `strategies`
 * null (not readable) that is "unknown". A server-only
 * function that evaluation reaches gives "cannot tell here", naming it (§6.2).
 */
export function tryRules(
  tls: TlsRules,
  input: TryInput,
  strategies: readonly string[] | null,
): TryAnswer {
  const compiled = compileRules(tls.rules, tls.else);
  if (!compiled.ok)
    return {
      kind: "doesNotCompile",
      message:
        compiled.error.kind === "validationFailed"
          ? compiled.error.value
          : compiled.error.description,
    };
  const result = evaluateTls(
    compiled.compiled,
    tlsVariablesFor({
      recipient: input.recipientDomain.trim(),
      mx: input.mxHost.trim(),
      retryNum: input.retryNumber,
      lastError: input.lastError,
    }),
  );
  const ruleOf = (rule: number | "else" | "fallback" | undefined) =>
    typeof rule === "number" ? rule : "otherwise";
  if (result.kind === "needsServer")
    return { kind: "cannotTell", construct: result.construct, rule: ruleOf(result.rule) };
  const resolution: Resolution =
    strategies === null
      ? "unknown"
      : strategies.includes(result.name)
        ? "strategy"
        : "built-in defaults";
  if (result.rule === "fallback")
    return {
      kind: "picked",
      rule: ruleOf(result.from),
      name: result.name,
      resolution,
      fallback: result.reason,
    };
  return { kind: "picked", rule: ruleOf(result.rule), name: result.name, resolution };
}
