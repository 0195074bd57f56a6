import type { PendingChange, ValueInWords } from "./pending-changes";

// How a new change joins the pending list. Only saving needs it, so it loads on the first
// save, not with the page (docs/decisions/first-paint-and-opening.md).

/** The changes between two snapshots of values, in words. */
function changesBetween(from: ValueInWords[], to: ValueInWords[]): PendingChange["changes"] {
  return to.flatMap((after) => {
    const before = from.find((value) => value.property === after.property);
    return before && before.value !== after.value
      ? [{ property: after.property, label: after.label, from: before.value, to: after.value }]
      : [];
  });
}

/**
 * Adds one change to the list, merged with what is already there for the same object: a
 * created object stays "created" when updated, and vanishes when deleted (it was never
 * applied); updates combine property by property, keeping the value at the last apply, and
 * an update that returns every property to that value leaves nothing pending. A deletion
 * followed by a creation under the same name is one re-creation, with what differs.
 */
export function withChange(list: readonly PendingChange[], change: PendingChange): PendingChange[] {
  if (change.kind === "created") {
    const deleted = list.find(
      (c) => c.object === change.object && c.kind === "deleted" && c.name === change.name,
    );
    if (deleted) {
      const rest = list.filter((c) => c !== deleted);
      const changes = changesBetween(deleted.values ?? [], change.values ?? []);
      if (deleted.values && change.values && changes.length === 0) return rest;
      return [...rest, { ...change, kind: "recreated", changes }];
    }
  }
  const index = list.findIndex((c) => c.object === change.object && c.id === change.id);
  const existing = list[index];
  const replace = (next: PendingChange | null) =>
    next === null
      ? list.filter((_, i) => i !== index)
      : list.map((c, i) => (i === index ? next : c));
  if (!existing) {
    if (change.kind === "updated" && change.changes.length === 0) return [...list];
    return [...list, change];
  }
  if (change.kind === "deleted") {
    if (existing.kind === "created") return replace(null);
    // What delivery still runs with is the value before the unapplied changes.
    const applied = change.values?.map((value) => {
      const changed = existing.changes.find((c) => c.property === value.property);
      return changed ? { ...value, value: changed.from } : value;
    });
    return replace({ ...change, values: applied });
  }
  if (existing.kind === "created")
    return replace({ ...existing, name: change.name, seq: change.seq ?? existing.seq });
  const merged = [...existing.changes];
  for (const next of change.changes) {
    const at = merged.findIndex((c) => c.property === next.property);
    const previous = merged[at];
    if (!previous) merged.push(next);
    else merged[at] = { ...previous, to: next.to };
  }
  const remaining = merged.filter((c) => c.from !== c.to);
  if (remaining.length === 0 && existing.kind === "updated") return replace(null);
  return replace({ ...existing, changes: remaining, seq: change.seq ?? existing.seq });
}
