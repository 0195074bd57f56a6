import "../../components/field.css";
import { Link } from "wouter";
import { CREATE_PATH } from "../../paths";
import type { RowFinding } from "./model/findings";

// The findings of one row, said on that row: errors (nothing is sent while one stands) and
// warnings (said, allowed), each with what to do about it.

/** "Use xn--bcher-kva.de" for a domain that never matches; "create it" for a missing name. */
export function RowFindings({
  id,
  findings,
  onFix,
  canCreate,
}: {
  id: string;
  findings: readonly RowFinding[];
  onFix?: (field: NonNullable<RowFinding["field"]>, value: string) => void;
  canCreate: boolean;
}) {
  if (findings.length === 0) return null;
  return (
    <ul id={id} className="rule-findings">
      {findings.map((finding, index) => (
        <li
          // Findings have no identity of their own; their order follows the checks.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={index}
          id={`${id}-${index}`}
          className={finding.severity === "error" ? "finding-error" : "finding-warning"}
        >
          <span className="visually-hidden">
            {finding.severity === "error" ? "Error: " : "Warning: "}
          </span>
          {finding.message}
          {finding.position !== undefined ? ` (at character ${finding.position + 1})` : ""}
          {finding.fix !== undefined && finding.field && onFix ? (
            <>
              {" "}
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  onFix(finding.field as NonNullable<RowFinding["field"]>, finding.fix ?? "")
                }
              >
                Use {finding.fix}
              </button>
            </>
          ) : null}
          {canCreate &&
          (finding.code === "unknown-strategy" || finding.code === "no-default-strategy") ? (
            <>
              {" "}
              <Link href={CREATE_PATH} aria-describedby={`${id}-${index}`}>
                create it
              </Link>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
