import type { TlsUsage } from "../../../stalwart/outbound-strategy";

/**
 * What the admin types to confirm deleting `selected` (id → name): the name of each strategy
 * the outbound strategy's `tls` rule names. When that is not known (no permission to read the
 * rule, a rule this page cannot read, not read yet), any of them may be used: the name of the
 * one strategy, or "delete N strategies" for several. Nothing for strategies known unused.
 */
export function namesToConfirm(
  selected: ReadonlyMap<string, string>,
  usage: TlsUsage | undefined,
): string[] {
  if (!usage?.isKnown) {
    if (selected.size === 1) return [...selected.values()];
    return selected.size > 1 ? [`delete ${selected.size} strategies`] : [];
  }
  return [...new Set([...selected.values()].filter((name) => usage.names.has(name)))];
}
