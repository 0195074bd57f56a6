import { Link } from "wouter";
import { QuotedName, ShownText } from "../../../components/shown-text";
import { UsedByRules } from "../../../components/used-by-rules";
import { ViewHeader } from "../../../components/view-heading";
import { RULES_PATH } from "../../../paths";
import { type TlsUsage, usedByWords } from "../../../stalwart/outbound-strategy";
import { lastListPath } from "../data/last-list-view";

/**
 * The strategy is not there: never was (`id` only), or was deleted by someone else while this
 * page showed it (`name` given).
 */
export function NotFound({ id, name }: { id: string; name?: string }) {
  return (
    <section className="placeholder">
      <title>Strategy not found · TLS Strategies · Stalwart</title>
      <ViewHeader>Strategy not found</ViewHeader>
      <p>
        {name === undefined ? (
          <>
            There is no TLS strategy with the id “<ShownText text={id} />
            ”. It may have been deleted.
          </>
        ) : (
          <>
            The TLS strategy <QuotedName name={name} /> was deleted by someone else.
          </>
        )}
      </p>
      <Link href={lastListPath()}>Back to TLS Strategies</Link>
    </section>
  );
}

/** Whether the outbound strategy's TLS rule picks `name` (shared wire reference §10). */
export function UsageNotice({ name, usage }: { name: string; usage: TlsUsage | undefined }) {
  if (!usage) return null;
  if (!usage.isKnown) {
    return (
      <p className="muted">
        Whether the outbound strategy uses <QuotedName name={name} /> is unknown: {usage.reason}.
      </p>
    );
  }
  const usedBy = usage.names.get(name);
  if (!usedBy) return null;
  return (
    <div className="usage-notice">
      <p>
        <span className="badge badge-used">
          Used by the outbound strategy's {usedByWords(usedBy)}
        </span>{" "}
        Delivery picks <QuotedName name={name} /> by name in the outbound strategy's TLS rules (
        <Link href={RULES_PATH}>Which strategy applies where</Link>):
      </p>
      <UsedByRules usage={usage} name={name} />
    </div>
  );
}
