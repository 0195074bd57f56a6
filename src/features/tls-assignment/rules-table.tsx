import "../../components/field.css";
import type { OtherwiseDraft, RuleDraft } from "./model/drafts";
import type { DraftFindings } from "./model/findings";
import { RowFindings } from "./row-findings";
import { strategyOptions } from "./rule-cells";
import { RuleRow } from "./rule-row";

// The table named "Rules": the rules in the order Stalwart tries them (first match wins),
// then Otherwise, whose strategy is a select labelled "Otherwise" (a text value when the
// stored one is not a plain name, kept verbatim).

export function RulesTable({
  rules,
  otherwise,
  findings,
  strategies,
  isReadOnly,
  canCreate,
  onRuleChange,
  onMove,
  onRemove,
  onOtherwiseChange,
}: {
  rules: readonly RuleDraft[];
  otherwise: OtherwiseDraft;
  findings: DraftFindings;
  strategies: readonly string[];
  isReadOnly: boolean;
  canCreate: boolean;
  onRuleChange: (index: number, draft: RuleDraft) => void;
  onMove: (index: number, delta: -1 | 1) => void;
  onRemove: (index: number) => void;
  onOtherwiseChange: (otherwise: OtherwiseDraft) => void;
}) {
  const columns = isReadOnly ? 4 : 5;
  return (
    <table className="rules-table" aria-label="Rules">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Rule number</span>
            <span aria-hidden="true">#</span>
          </th>
          <th scope="col">When it applies</th>
          <th scope="col">Strategy</th>
          <th scope="col">Checks</th>
          {isReadOnly ? null : (
            <th scope="col">
              <span className="visually-hidden">Order</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rules.length === 0 ? (
          <tr>
            <td colSpan={columns} className="muted">
              No rules: every message uses the Otherwise strategy.
            </td>
          </tr>
        ) : null}
        {rules.map((draft, index) => (
          <RuleRow
            key={draft.id}
            draft={draft}
            index={index}
            count={rules.length}
            findings={findings.rules[index] ?? []}
            strategies={strategies}
            isReadOnly={isReadOnly}
            canCreate={canCreate}
            onChange={(next) => onRuleChange(index, next)}
            onMove={(delta) => onMove(index, delta)}
            onRemove={() => onRemove(index)}
          />
        ))}
        <tr>
          <th scope="row" id="rules-otherwise-header">
            Otherwise
          </th>
          <td className="rule-condition muted">When no rule applies</td>
          <td className="rule-strategy">
            <div className="field rule-field">
              <label htmlFor="rules-otherwise">Otherwise</label>
              {otherwise.kind === "table" ? (
                <select
                  id="rules-otherwise"
                  value={otherwise.strategy}
                  disabled={isReadOnly}
                  aria-describedby={
                    findings.otherwise.length > 0 ? "rules-otherwise-findings" : undefined
                  }
                  onChange={(event) =>
                    onOtherwiseChange({ kind: "table", strategy: event.target.value })
                  }
                >
                  {strategyOptions(strategies, otherwise.strategy)}
                </select>
              ) : (
                <input
                  id="rules-otherwise"
                  className="rule-text"
                  spellCheck={false}
                  readOnly={isReadOnly}
                  value={otherwise.text}
                  aria-invalid={findings.otherwise.some((f) => f.severity === "error")}
                  aria-describedby={
                    findings.otherwise.length > 0 ? "rules-otherwise-findings" : undefined
                  }
                  onChange={(event) =>
                    onOtherwiseChange({ kind: "text", text: event.target.value })
                  }
                />
              )}
            </div>
          </td>
          <td className="rule-checks">
            <RowFindings
              id="rules-otherwise-findings"
              findings={findings.otherwise}
              canCreate={canCreate}
            />
          </td>
          {isReadOnly ? null : <td />}
        </tr>
      </tbody>
    </table>
  );
}
