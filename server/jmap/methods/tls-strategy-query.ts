import { TLS_STRATEGY_PERMISSIONS } from "../../../src/jmap/protocol";
import { canonicalId, compareIds } from "../../ids";
import { isServerProperty } from "../../objects/property-names";
import type { Strategy } from "../../objects/tls-strategy";
import type { MethodHandler } from "../dispatch";
import { ANCHOR_NOT_FOUND, MethodFailure } from "../errors";
import { isJsonObject, JsonFloat } from "../json";
import { MAX_QUERY_LIMIT } from "../limits";
import { requirePermission } from "./set-permissions";

// Shared wire reference §6: x:MtaTlsStrategy/query as Stalwart v0.16 answers it: the name
// filters folded into bounds, the two sort orders kept per committed version, the paging.

/** Strategies in the order of their ids (compareIds). */
export function sortedById(strategies: Iterable<Strategy>): Strategy[] {
  return [...strategies].sort((a, b) => compareIds(a.id, b.id));
}

type Predicate = (strategy: Strategy) => boolean;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Byte-wise, as the server compares UTF-8 names. UTF-8 byte order is code-point order, and
 * JavaScript's own string order (UTF-16 code units) agrees with it except where a surrogate
 * pair meets a character from U+E000 up; only then is the slower exact path needed.
 */
function compareBytes(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The name conditions of a filter (reference §6), folded: AND of any number costs O(1). */
interface NameBounds {
  equal: string | null;
  /** No name matches (two different exact names, say). */
  isEmpty: boolean;
  lower: { value: string; isInclusive: boolean } | null;
  upper: { value: string; isInclusive: boolean } | null;
}

const RANGES = new Map<string, { side: "lower" | "upper"; isInclusive: boolean }>([
  ["nameIsGreaterThan", { side: "lower", isInclusive: false }],
  ["nameIsGreaterThanOrEqual", { side: "lower", isInclusive: true }],
  ["nameIsLessThan", { side: "upper", isInclusive: false }],
  ["nameIsLessThanOrEqual", { side: "upper", isInclusive: true }],
]);

const RANGE_KEY = /^(.+)Is(?:GreaterThan|GreaterThanOrEqual|LessThan|LessThanOrEqual)$/;

/**
 * The refusal of a filter key (reference §6): a key naming a property of some server object
 * (`description`, `text`), directly or with a range suffix (`descriptionIsLessThan`), is
 * "Filter on property <property> is not supported or invalid"; any other key (`foo`,
 * `nameIsFoo`) is refused with the key alone as the description.
 */
function unsupportedFilter(key: string): MethodFailure {
  const property = RANGE_KEY.exec(key)?.[1] ?? key;
  return new MethodFailure(
    "unsupportedFilter",
    isServerProperty(property) ? `Filter on property ${property} is not supported or invalid` : key,
  );
}

function foldCondition(bounds: NameBounds, key: string, value: unknown): void {
  const range = RANGES.get(key);
  if (key !== "name" && !range) throw unsupportedFilter(key);
  // The name's conditions take a string: anything else names the property (`name`).
  if (typeof value !== "string")
    throw new MethodFailure(
      "unsupportedFilter",
      "Filter on property name is not supported or invalid",
    );
  if (!range) {
    if (bounds.equal !== null && bounds.equal !== value) bounds.isEmpty = true;
    bounds.equal = value;
    return;
  }
  const current = bounds[range.side];
  const next = { value, isInclusive: range.isInclusive };
  if (current === null) {
    bounds[range.side] = next;
    return;
  }
  // Keep the tighter bound: the greater lower one, the smaller upper one.
  const order = compareBytes(value, current.value) * (range.side === "lower" ? 1 : -1);
  if (order > 0 || (order === 0 && !range.isInclusive)) bounds[range.side] = next;
}

function foldFilter(filter: unknown, bounds: NameBounds): void {
  if (filter === undefined || filter === null) return;
  if (!isJsonObject(filter))
    throw new MethodFailure("invalidArguments", "filter must be an object.");
  if (Object.hasOwn(filter, "operator")) {
    if (filter.operator !== "AND")
      throw new MethodFailure("unsupportedFilter", "Only AND is supported in filters");
    if (!Array.isArray(filter.conditions))
      throw new MethodFailure("invalidArguments", "conditions must be an array.");
    for (const condition of filter.conditions) foldFilter(condition, bounds);
    return;
  }
  for (const [key, value] of Object.entries(filter)) foldCondition(bounds, key, value);
}

/** A predicate over names, or null when every name matches. */
function compileFilter(filter: unknown): Predicate | null {
  const bounds: NameBounds = { equal: null, isEmpty: false, lower: null, upper: null };
  foldFilter(filter, bounds);
  if (bounds.isEmpty) return () => false;
  const { equal, lower, upper } = bounds;
  if (equal === null && lower === null && upper === null) return null;
  return ({ name }) => {
    if (equal !== null && name !== equal) return false;
    if (lower) {
      const order = compareBytes(name, lower.value);
      if (order < 0 || (order === 0 && !lower.isInclusive)) return false;
    }
    if (upper) {
      const order = compareBytes(name, upper.value);
      if (order > 0 || (order === 0 && !upper.isInclusive)) return false;
    }
    return true;
  };
}

type Order = { property: "id" | "name"; isAscending: boolean };

function sortOrder(sort: unknown): Order {
  // No sort: newest first (reference §6).
  if (sort === undefined || sort === null || (Array.isArray(sort) && sort.length === 0)) {
    return { property: "id", isAscending: false };
  }
  if (!Array.isArray(sort) || !isJsonObject(sort[0])) {
    throw new MethodFailure("invalidArguments", "sort must be an array of comparators.");
  }
  // Only the first comparator counts.
  const { property, isAscending = true } = sort[0];
  if (property === "id" || property === "name")
    return { property, isAscending: isAscending !== false };
  const shown =
    typeof property === "string"
      ? property
      : property instanceof JsonFloat
        ? property.text
        : JSON.stringify(property);
  throw new MethodFailure("unsupportedSort", `Property ${shown} is not supported for sorting`);
}

/**
 * Every committed version of the strategies is a new, never-changed Map, so its two sorted
 * orders are computed once per write instead of once per query.
 */
const sortedIndexes = new WeakMap<
  ReadonlyMap<string, Strategy>,
  Record<Order["property"], Strategy[]>
>();

function sortedBy(
  strategies: ReadonlyMap<string, Strategy>,
  property: Order["property"],
): Strategy[] {
  let indexes = sortedIndexes.get(strategies);
  if (!indexes) {
    const byId = sortedById(strategies.values());
    indexes = {
      id: byId,
      name: [...byId].sort((a, b) => compareBytes(a.name, b.name) || compareIds(a.id, b.id)),
    };
    sortedIndexes.set(strategies, indexes);
  }
  return indexes[property];
}

function integer(value: unknown, argument: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (value instanceof JsonFloat || typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new MethodFailure("invalidArguments", `${argument} must be an integer.`);
  }
  return value;
}

export const queryTlsStrategies: MethodHandler = (args, context) => {
  requirePermission(context, TLS_STRATEGY_PERMISSIONS.query);
  const predicate = compileFilter(args.filter);
  const order = sortOrder(args.sort);
  const sorted = sortedBy(context.store.strategies, order.property);
  const matches = predicate === null ? sorted : sorted.filter(predicate);
  const ids = matches.map((s) => s.id);
  if (!order.isAscending) ids.reverse();

  const requested = integer(args.limit, "limit", MAX_QUERY_LIMIT);
  if (requested < 0) throw new MethodFailure("invalidArguments", "limit must not be negative.");
  // limit 0 returns every id (reference §6); otherwise capped at 5000.
  const limit = requested === 0 ? ids.length : Math.min(requested, MAX_QUERY_LIMIT);

  let position: number;
  if (args.anchor !== undefined && args.anchor !== null) {
    // The anchor is an id, read as any id is ("aab" is "b").
    const anchor = typeof args.anchor === "string" ? canonicalId(args.anchor) : null;
    const index = anchor === null ? -1 : ids.indexOf(anchor);
    if (index < 0) throw new MethodFailure("anchorNotFound", ANCHOR_NOT_FOUND);
    position = Math.max(0, index + integer(args.anchorOffset, "anchorOffset", 0));
  } else {
    position = integer(args.position, "position", 0);
    if (position < 0) position = Math.max(0, ids.length + position);
  }
  let page: string[];
  if (position >= ids.length) {
    // Past the end: no ids, and position 0 (reference §6).
    position = 0;
    page = [];
  } else {
    page = ids.slice(position, position + limit);
  }

  // Key order: accountId, queryState, canCalculateChanges, position, ids, total?, limit?.
  const response: Record<string, unknown> = {
    accountId: context.accountId,
    queryState: "n",
    canCalculateChanges: true,
    position,
    ids: page,
  };
  if (args.calculateTotal === true) response.total = ids.length;
  if (requested === 0) response.limit = 0;
  else if (ids.length > limit) response.limit = limit;
  return response;
};
