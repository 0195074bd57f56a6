import "../../components/field.css";
import type { RuleDraft } from "./model/drafts";
import type { RowFinding } from "./model/findings";
import { RowFindings } from "./row-findings";
import { TableCells, TextCells } from "./rule-cells";

// One rule of the rules table: its cells (rule-cells.tsx), its findings, and Move up, Move
// down and Remove. The buttons' names are the same on every row; each is described by its
// row's number ("Rule 2"), as the list describes its per-row links by the strategy's name.

export interface RuleRowProps {
  draft: RuleDraft;
  index: number;
  count: number;
  findings: readonly RowFinding[];
  strategies: readonly string[];
  isReadOnly: boolean;
  canCreate: boolean;
  onChange: (draft: RuleDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

export function RuleRow(props: RuleRowProps) {
  const { draft, index, count, findings, isReadOnly, onMove, onRemove } = props;
  const rowId = draft.id;
  const headerId = `${rowId}-header`;
  const findingsId = `${rowId}-findings`;
  const describedBy = findings.length > 0 ? `${headerId} ${findingsId}` : headerId;
  const invalid = (field: string) =>
    findings.some((finding) => finding.severity === "error" && finding.field === field);
  return (
    <tr>
      <th scope="row" id={headerId}>
        <span className="visually-hidden">Rule </span>
        {index + 1}
      </th>
      {draft.kind === "text" ? (
        <TextCells {...props} draft={draft} describedBy={describedBy} invalid={invalid} />
      ) : (
        <TableCells {...props} draft={draft} describedBy={describedBy} invalid={invalid} />
      )}
      <td className="rule-checks">
        <RowFindings
          id={findingsId}
          findings={findings}
          canCreate={props.canCreate}
          onFix={
            draft.kind === "table" && !isReadOnly
              ? (field, value) => props.onChange({ ...draft, [field]: value })
              : undefined
          }
        />
      </td>
      {isReadOnly ? null : (
        <td className="rule-actions">
          <button
            type="button"
            className="button"
            id={`${rowId}-up`}
            aria-describedby={headerId}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            Move up
          </button>
          <button
            type="button"
            className="button"
            id={`${rowId}-down`}
            aria-describedby={headerId}
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            Move down
          </button>
          <button
            type="button"
            className="button button-danger"
            aria-describedby={headerId}
            onClick={onRemove}
          >
            Remove
          </button>
        </td>
      )}
    </tr>
  );
}
