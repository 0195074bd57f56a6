// Shared wire reference §3, "Ids": a u64 written in base 32 with Stalwart's alphabet, most
// significant digit first, in its shortest form (0 is "a"). Read as Stalwart reads one
// (utils::codec::base32_custom BASE32_INVERSE, jmap-proto Id): any length, the empty string is
// 0, upper-case K–Z count as k–z (A–J do not: the server's table has no entry for them), bits
// shifted out past 64 are lost; any other character makes the id unparseable.

const ALPHABET = "abcdefghijklmnopqrstuvwxyz792013";
const U64 = (1n << 64n) - 1n;
const EPOCH = Date.UTC(2024, 0, 1);
const COUNTER_BITS = 20n;

const DIGITS: ReadonlyMap<string, bigint> = new Map([
  ...[...ALPHABET].map((char, digit) => [char, BigInt(digit)] as const),
  ...[..."KLMNOPQRSTUVWXYZ"].map(
    (char) => [char, BigInt(ALPHABET.indexOf(char.toLowerCase()))] as const,
  ),
]);

/** `value` (taken as a u64) in its shortest form. */
export function encodeId(value: bigint): string {
  let rest = value & U64;
  let text = "";
  do {
    text = ALPHABET[Number(rest & 31n)] + text;
    rest >>= 5n;
  } while (rest > 0n);
  return text;
}

const PARSEABLE = /^[a-z792013K-Z]*$/;
/** Digits before the last 13 only carry bits that a u64 shifts out. */
const SIGNIFICANT_DIGITS = 13;

/** The number behind an id, or null when the server cannot parse it. */
export function decodeId(id: string): bigint | null {
  if (!PARSEABLE.test(id)) return null;
  let value = 0n;
  for (const char of id.slice(-SIGNIFICANT_DIGITS)) {
    value = ((value << 5n) | (DIGITS.get(char) as bigint)) & U64;
  }
  return value;
}

/** The id as the server writes it back (shortest form), or null when it cannot be parsed. */
export function canonicalId(id: string): string | null {
  const value = decodeId(id);
  return value === null ? null : encodeId(value);
}

/** Ids from a millisecond clock with a counter below it, never going backwards. */
export function idGenerator(last: bigint = 0n, now: () => number = Date.now) {
  let previous = last;
  return (): string => {
    const fromClock = BigInt(Math.max(0, now() - EPOCH)) << COUNTER_BITS;
    previous = fromClock > previous ? fromClock : previous + 1n;
    return encodeId(previous);
  };
}

/**
 * The id of an action such as a settings reload: the Unix time in seconds when it ran (shared
 * wire reference §11), so two in the same second share it.
 */
export function unixTimeId(now: () => number = Date.now): string {
  return encodeId(BigInt(Math.max(0, Math.floor(now() / 1000))));
}

export function compareIds(a: string, b: string): number {
  const x = decodeId(a) ?? 0n;
  const y = decodeId(b) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}
