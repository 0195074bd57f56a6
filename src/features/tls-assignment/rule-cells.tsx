import "../../components/field.css";
import type { ReactNode } from "react";
import { LAST_ERROR_KINDS } from "../../stalwart/expression/vocabulary";
import type { Destination, RuleDraft, TableDraft, WhenChoice } from "./model/drafts";

// The cells of one rule: plain choices for a rule the canonical table can show (destination,
// failure condition, strategy), the Condition and Value texts for any other, kept verbatim.

const DESTINATIONS: readonly [Destination, string][] = [
  ["anywhere", "Any recipient domain"],
  ["domain", "Recipient domain"],
  ["domainAndSubdomains", "Domain and its subdomains"],
  ["subdomainsOf", "Subdomains of a domain"],
  ["domainList", "One of several domains"],
  ["mxHost", "MX host"],
  ["mxUnder", "MX host suffix"],
];

const WHENS: readonly [WhenChoice, string][] = [
  ["always", "On every attempt"],
  ["failure", "After a failure of a kind"],
  ["anyFailure", "After any failure"],
];

/** The strategy names to offer: the stored ones, and the row's own if no strategy has it. */
export function strategyOptions(strategies: readonly string[], current: string): ReactNode {
  const names =
    strategies.includes(current) || current === "" ? strategies : [current, ...strategies];
  return (
    <>
      {current === "" ? <option value="">Pick a strategy</option> : null}
      {names.map((name) => (
        <option key={name} value={name}>
          {strategies.includes(name) ? name : `${name} (no such strategy)`}
        </option>
      ))}
    </>
  );
}

function Control({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <div className="field rule-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** What the cells of a row are given by RuleRow. */
export type CellProps<D> = {
  strategies: readonly string[];
  isReadOnly: boolean;
  onChange: (draft: RuleDraft) => void;
  draft: D;
  describedBy: string;
  invalid: (field: string) => boolean;
};

export function TextCells({
  draft,
  describedBy,
  invalid,
  isReadOnly,
  onChange,
}: CellProps<RuleDraft & { kind: "text" }>) {
  return (
    <>
      <td className="rule-condition">
        <Control label="Condition" id={`${draft.id}-if`}>
          <textarea
            id={`${draft.id}-if`}
            className="rule-text"
            rows={2}
            spellCheck={false}
            readOnly={isReadOnly}
            value={draft.if}
            aria-invalid={invalid("if")}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ ...draft, if: event.target.value })}
          />
        </Control>
      </td>
      <td className="rule-strategy">
        <Control label="Value" id={`${draft.id}-then`}>
          <input
            id={`${draft.id}-then`}
            className="rule-text"
            spellCheck={false}
            readOnly={isReadOnly}
            value={draft.then}
            aria-invalid={invalid("then")}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ ...draft, then: event.target.value })}
          />
        </Control>
      </td>
    </>
  );
}

export function TableCells({
  draft,
  describedBy,
  invalid,
  isReadOnly,
  strategies,
  onChange,
}: CellProps<TableDraft>) {
  const set = (change: Partial<TableDraft>) => onChange({ ...draft, ...change });
  const common = { disabled: isReadOnly, "aria-describedby": describedBy };
  return (
    <>
      <td className="rule-condition">
        <div className="rule-controls">
          <Control label="Applies to" id={`${draft.id}-destination`}>
            <select
              id={`${draft.id}-destination`}
              value={draft.destination}
              aria-invalid={invalid("destination")}
              onChange={(event) => set({ destination: event.target.value as Destination })}
              {...common}
            >
              {DESTINATIONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Control>
          {draft.destination === "anywhere" ? null : (
            <Control
              label={
                draft.destination === "domainList"
                  ? "Domains"
                  : draft.destination.startsWith("mx")
                    ? "Host"
                    : "Domain"
              }
              id={`${draft.id}-names`}
            >
              <input
                id={`${draft.id}-names`}
                spellCheck={false}
                autoComplete="off"
                readOnly={isReadOnly}
                value={draft.names}
                aria-invalid={invalid("names")}
                aria-describedby={describedBy}
                onChange={(event) => set({ names: event.target.value })}
              />
            </Control>
          )}
          <Control label="When" id={`${draft.id}-when`}>
            <select
              id={`${draft.id}-when`}
              value={draft.when}
              onChange={(event) => set({ when: event.target.value as WhenChoice })}
              {...common}
            >
              {WHENS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Control>
          {draft.when === "failure" ? (
            <Control label="Failure kind" id={`${draft.id}-error`}>
              <select
                id={`${draft.id}-error`}
                value={draft.error}
                onChange={(event) => set({ error: event.target.value as TableDraft["error"] })}
                {...common}
              >
                {LAST_ERROR_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {kind}
                  </option>
                ))}
              </select>
            </Control>
          ) : null}
          {draft.when === "always" ? null : (
            <Control label="Retry count over" id={`${draft.id}-retries`}>
              <input
                id={`${draft.id}-retries`}
                inputMode="numeric"
                autoComplete="off"
                readOnly={isReadOnly}
                value={draft.retriesAbove}
                aria-invalid={invalid("retriesAbove")}
                aria-describedby={describedBy}
                onChange={(event) => set({ retriesAbove: event.target.value })}
              />
            </Control>
          )}
        </div>
      </td>
      <td className="rule-strategy">
        <Control label="Strategy" id={`${draft.id}-strategy`}>
          <select
            id={`${draft.id}-strategy`}
            value={draft.strategy}
            aria-invalid={invalid("strategy")}
            onChange={(event) => set({ strategy: event.target.value })}
            {...common}
          >
            {strategyOptions(strategies, draft.strategy)}
          </select>
        </Control>
      </td>
    </>
  );
}
