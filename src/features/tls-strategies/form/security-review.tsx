import "../../../components/findings.css";
import { anchorField, type Finding, type SecurityField } from "../model/security-rules";

/** The id of a finding's note beside its field, for the fields it describes. */
export const findingId = (finding: Finding) => `finding-${finding.id}`;

/** The ids of the notes that describe `field`: every finding that names it. */
export const findingIds = (findings: readonly Finding[], field: SecurityField) =>
  findings.filter((finding) => finding.fields.includes(field)).map(findingId);

/**
 * The findings shown beside `field`: those whose last field in form order it is
 * (anchorField), so each finding shows once, after every field it names.
 */
export function FindingNotes({
  findings,
  field,
}: {
  findings: readonly Finding[];
  field: SecurityField;
}) {
  const anchored = findings.filter((finding) => anchorField(finding) === field);
  if (anchored.length === 0) return null;
  return (
    <ul className="field-findings">
      {anchored.map((finding) => (
        <li
          key={finding.id}
          id={findingId(finding)}
          className={`finding finding-${finding.severity}`}
        >
          <strong>{finding.severity === "error" ? "Error: " : "Warning: "}</strong>
          {finding.message}
        </li>
      ))}
    </ul>
  );
}

/** Every finding of the values on screen, live, under "Security review". */
export function SecurityReview({ findings }: { findings: readonly Finding[] }) {
  return (
    <section id="security-review" aria-labelledby="security-review-heading" className="card review">
      <h2 id="security-review-heading">Security review</h2>
      {/* Always present, so that the first finding to appear is announced too. */}
      <div aria-live="polite">
        {findings.length === 0 ? (
          <p className="muted">
            No concerns: these settings deliver mail with opportunistic or required TLS.
          </p>
        ) : (
          <ul>
            {findings.map((finding) => (
              <li key={finding.id} className={`finding finding-${finding.severity}`}>
                <strong>{finding.severity === "error" ? "Error: " : "Warning: "}</strong>
                {finding.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
