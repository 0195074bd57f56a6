import { Notice } from "../../../components/notice";
import type { Change } from "../model/changes";
import type { Finding } from "../model/security-rules";
import { TheirChanges } from "./change-list";

/** Why the last save did not go through, shown above the buttons. */
export type FormProblem =
  | { kind: "error"; message: string; canRetry: boolean }
  | { kind: "blocked"; findings: Finding[]; theirs: Change[] }
  | { kind: "info"; message: string };

/** The id of a refused save's notice, focused so that why is read first. */
export const PROBLEM_ID = "save-refused";

/**
 * A refused or failed save, in words: an error the security review blocks (with what someone
 * else changed meanwhile), an error from the server (with a retry when it may pass next time),
 * or why nothing was sent.
 */
export function FormProblemNotice({
  problem,
  onRetry,
  retryLabel,
  isRetrying,
}: {
  problem: FormProblem | null;
  onRetry: () => void;
  retryLabel: string;
  isRetrying: boolean;
}) {
  if (!problem) return null;
  if (problem.kind === "info") return <Notice tone="info">{problem.message}</Notice>;
  if (problem.kind === "blocked") {
    return (
      <Notice tone="error" id={PROBLEM_ID}>
        <p>Not saved. This combination cannot deliver mail:</p>
        <ul>
          {problem.findings.map((finding) => (
            <li key={finding.id}>{finding.message}</li>
          ))}
        </ul>
        {problem.theirs.length > 0 ? (
          <>
            <TheirChanges changes={problem.theirs} />
            <p>
              The form now shows their values. Change the fields above to settle it: your values
              replace theirs.
            </p>
          </>
        ) : null}
      </Notice>
    );
  }
  return (
    <Notice tone="error">
      <p>{problem.message}</p>
      {problem.canRetry ? (
        <button type="button" className="button" onClick={onRetry} disabled={isRetrying}>
          {retryLabel}
        </button>
      ) : null}
    </Notice>
  );
}
