import { usedByInWords } from "../stalwart/expression/rule-words";
import type { TlsUsage } from "../stalwart/outbound-strategy";
import { ShownText } from "./shown-text";

/**
 * The rules of the outbound strategy's `tls` expression that give delivery `name`, each in
 * words ("Rule 2: Mail to a.example uses relaxed", "Otherwise …"), as a list; nothing when
 * the use is unknown or no rule names it. For every warning about a used strategy: the
 * strategy form, deleting one or several, duplicating one to rename it.
 */
export function UsedByRules({ usage, name }: { usage: TlsUsage | undefined; name: string }) {
  const usedBy = usage?.isKnown ? usage.names.get(name) : undefined;
  if (!usage?.isKnown || !usedBy) return null;
  return (
    <ul className="used-by-rules">
      {usedByInWords(usage.tls, usedBy).map((words) => (
        <li key={words}>
          <ShownText text={words} kind="text" />
        </li>
      ))}
    </ul>
  );
}
