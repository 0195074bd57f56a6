import type { DeliveryFacts } from "./facts";
import type { DeliveryStrategy, Outcome, StalwartError, TraceEntry } from "./outcome";

// One decision in progress (decide.ts): the strategies it runs with, and the trace and notes
// it accumulates, shared with the per-address steps (decide-address.ts).

export interface DecideStrategies {
  /** S0: the `tls` expression evaluated with mx = "" (§1.2 step 1); drives MTA-STS only. */
  routeStrategy: DeliveryStrategy;
  /** S: the expression evaluated per MX host (§1.2 step 5); DANE, STARTTLS, certs, timeouts. */
  hostStrategy: (mxHost: string) => DeliveryStrategy;
}

export interface DecideOptions {
  /** The message carries REQUIRETLS (RFC 8689): TLS becomes strict (§1.2 step 8.4). */
  requireTls?: boolean;
}

/** Accumulates the trace and notes of one decision. */
export class Run {
  readonly trace: TraceEntry[] = [];
  readonly notes: string[] = [];
  constructor(readonly facts: DeliveryFacts) {}
  log(host: string | null, step: string, text: string, address?: string) {
    this.trace.push({ host, step, text, ...(address === undefined ? {} : { address }) });
  }
  note(text: string) {
    if (!this.notes.includes(text)) this.notes.push(text);
  }
  /** Pending while collecting; unknown once the probe has stopped without this fact. */
  missing(what: string, host?: string, address?: string): Outcome {
    const common = { trace: this.trace, notes: this.notes };
    if (this.facts.status === "collecting") return { kind: "pending", reason: what, ...common };
    const why = this.facts.stopReason ? ` (${this.facts.stopReason})` : "";
    return {
      kind: "unknown",
      reason: `Not collected before the probe stopped${why}: ${what}.`,
      ...(host === undefined ? {} : { host }),
      ...(address === undefined ? {} : { address }),
      ...common,
    };
  }
  unknown(reason: string, host?: string, address?: string): Outcome {
    return {
      kind: "unknown",
      reason,
      ...(host === undefined ? {} : { host }),
      ...(address === undefined ? {} : { address }),
      trace: this.trace,
      notes: this.notes,
    };
  }
  /** §1.2 step 9: a temporary last status defers, a permanent one bounces. */
  fail(error: StalwartError, host: string | null, address?: string): Outcome {
    return {
      kind: error.temporary ? "deferred" : "bounced",
      error,
      host,
      ...(address === undefined ? {} : { address }),
      trace: this.trace,
      notes: this.notes,
    };
  }
}
