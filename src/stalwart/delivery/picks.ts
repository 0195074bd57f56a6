import { compileExpression } from "../expression/compile";
import { evaluateTls, tlsVariablesFor } from "../expression/evaluate";
import { decide } from "./decide";
import type { DeliveryFacts } from "./facts";
import type { DeliveryStrategy, Outcome } from "./outcome";

// Which TLS strategy the outbound strategy's `tls` expression picks for the tested domain, for
// a first attempt and for a retry after a TLS error (shared delivery reference §1.2 steps 1
// and 5, §2): evaluated with the page's port of Stalwart's expression language, route-level
// (mx = "") and once per MX host, as delivery does.

/** What the expression gives for one set of variables, in the terms the outcome table shows. */
export type StrategyPick =
  /** A stored strategy of this name. */
  | { kind: "strategy"; name: string }
  /** A name no stored strategy has: Stalwart's get_tls_or_default uses the built-in defaults. */
  | { kind: "built-in"; name: string }
  /** Only the server can evaluate it (a lookup, a variable the page does not know…). */
  | { kind: "cannot-tell"; reason: string };

export interface AttemptPicks {
  /** S0, evaluated with mx = "": drives the MTA-STS fetch only. */
  route: StrategyPick;
  /** S per MX host, in delivery order. */
  hosts: { mx: string; pick: StrategyPick }[];
}

export interface Picks {
  /** retry_num 0, last_error "none". */
  first: AttemptPicks;
  /** retry_num 1, last_error "tls": the retry after a TLS error. */
  retry: AttemptPicks;
}

export interface PickInput {
  /** The `tls` expression as x:MtaOutboundStrategy/get sent it (`{match, else}`). */
  tls: unknown;
  /** The recipient as tested: an address, or a bare domain (A-label). */
  recipient: string;
  /** The MX hosts in delivery order (empty until the MX lookup is in). */
  mxHosts: readonly string[];
  /** The names of the stored strategies. */
  storedNames: ReadonlySet<string>;
}

/**
 * The strategies the `tls` expression picks for a first attempt and for a retry after a TLS
 * error, route-level and per MX host. An expression that does not compile, or that needs
 * the server to evaluate, gives `cannot-tell` with the reason; a name no stored strategy has
 * gives `built-in` (Stalwart then delivers with its built-in defaults, D l.317-324). Pure.
 */
export function pickStrategies(input: PickInput): Picks {
  const compiled = compileExpression(input.tls);
  const attempt = (retryNum: number, lastError: string): AttemptPicks => {
    const pickFor = (mx: string): StrategyPick => {
      if (!compiled.ok) {
        const error = compiled.error;
        const why = error.kind === "validationFailed" ? error.value : error.description;
        return { kind: "cannot-tell", reason: `the expression does not compile: ${why}` };
      }
      const variables = tlsVariablesFor({ recipient: input.recipient, mx, retryNum, lastError });
      const result = evaluateTls(compiled.compiled, variables);
      if (result.kind === "needsServer")
        return {
          kind: "cannot-tell",
          reason: `only the server can evaluate ${result.construct}`,
        };
      return input.storedNames.has(result.name)
        ? { kind: "strategy", name: result.name }
        : { kind: "built-in", name: result.name };
    };
    return {
      route: pickFor(""),
      hosts: input.mxHosts.map((mx) => ({ mx, pick: pickFor(mx) })),
    };
  };
  return { first: attempt(0, "none"), retry: attempt(1, "tls") };
}

/**
 * Where `name` is picked in one attempt: "all" (route level and every MX host), the MX hosts
 * it is picked for when only some, or null when never.
 */
export function pickedFor(picks: AttemptPicks, name: string): "all" | string[] | null {
  const isName = (pick: StrategyPick) => pick.kind === "strategy" && pick.name === name;
  const hosts = picks.hosts.filter((host) => isName(host.pick)).map((host) => host.mx);
  if (isName(picks.route) && hosts.length === picks.hosts.length) return "all";
  if (hosts.length > 0) return hosts;
  return isName(picks.route) ? ["the MTA-STS fetch"] : null;
}

/** The picks of an attempt that are not a stored strategy (built-in defaults, cannot tell). */
export function otherPicks(picks: AttemptPicks): StrategyPick[] {
  const seen = new Set<string>();
  return [picks.route, ...picks.hosts.map((host) => host.pick)].filter((pick) => {
    if (pick.kind === "strategy") return false;
    const key = pick.kind === "built-in" ? `b:${pick.name}` : `c:${pick.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Stalwart's built-in strategy for a name no stored strategy has: all optional, certificates
 * checked, TLS handshake 3 min, MTA-STS lookup 5 min (shared delivery reference §2, mta.rs
 * l.319-326).
 */
export function builtInStrategy(name: string): DeliveryStrategy {
  return {
    name,
    allowInvalidCerts: false,
    dane: "optional",
    mtaSts: "optional",
    startTls: "optional",
    tlsTimeout: 180_000,
    mtaStsTimeout: 300_000,
  };
}

/** One attempt as the rules pick it: the outcome, or why the page cannot tell. */
export type PickedOutcome =
  | { kind: "decided"; outcome: Outcome }
  | { kind: "cannot-tell"; reason: string };

/**
 * What delivery does in one attempt when the strategies are the ones the rules pick: S0 (the
 * route-level pick, mx = "") for the MTA-STS fetch, and each MX host's own pick S for its
 * DANE, STARTTLS, certificates and timeouts (shared delivery reference §1.2 steps 1 and 5;
 * decide.ts). A name no stored strategy has is Stalwart's built-in strategy. `cannot-tell`
 * when a pick needs the server, or an MX host has no pick yet (the MX lookup came after).
 */
export function decideAsPicked(
  attempt: AttemptPicks,
  stored: readonly DeliveryStrategy[],
  facts: DeliveryFacts,
): PickedOutcome {
  const byName = new Map(stored.map((strategy) => [strategy.name, strategy]));
  const strategyOf = (pick: StrategyPick): DeliveryStrategy | string =>
    pick.kind === "cannot-tell"
      ? pick.reason
      : pick.kind === "strategy"
        ? (byName.get(pick.name) ?? builtInStrategy(pick.name))
        : builtInStrategy(pick.name);
  const route = strategyOf(attempt.route);
  if (typeof route === "string") return { kind: "cannot-tell", reason: route };
  const hosts = new Map<string, DeliveryStrategy>();
  for (const host of attempt.hosts) {
    const strategy = strategyOf(host.pick);
    if (typeof strategy === "string") return { kind: "cannot-tell", reason: strategy };
    hosts.set(host.mx, strategy);
  }
  const missing = facts.mx?.hosts.find((host) => !hosts.has(host));
  if (missing !== undefined)
    return { kind: "cannot-tell", reason: `the rules were not evaluated for MX host ${missing}` };
  return {
    kind: "decided",
    outcome: decide({ routeStrategy: route, hostStrategy: (mx) => hosts.get(mx) ?? route }, facts),
  };
}
