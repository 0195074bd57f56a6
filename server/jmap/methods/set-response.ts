/** A map keyed by the client's strings, safe for any key, that serializes as JSON. */
export function keyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * A /set answer (RFC 8620 §5.3): `accountId`, then each of `parts` in the order given, an
 * empty one left out, with no oldState/newState (shared wire reference §5, §11). Every /set
 * method of the embedded server answers through this, so the key order is the same in all.
 */
export function setResponse(
  accountId: string,
  parts: [key: string, value: object][],
): Record<string, unknown> {
  const response: Record<string, unknown> = { accountId };
  for (const [key, value] of parts) {
    if (Object.keys(value).length > 0) response[key] = value;
  }
  return response;
}
