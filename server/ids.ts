// Shared wire reference §3: ids are ~12 characters of this alphabet and grow with creation
// time. Fixed width, most significant digit first, so a later id is a larger number.
const ALPHABET = "abcdefghijklmnopqrstuvwxyz792013";
const WIDTH = 12; // 60 bits
const EPOCH = Date.UTC(2024, 0, 1);
const COUNTER_BITS = 20n;

export function encodeId(value: bigint): string {
  let rest = value;
  let text = "";
  for (let i = 0; i < WIDTH; i += 1) {
    text = ALPHABET[Number(rest & 31n)] + text;
    rest >>= 5n;
  }
  return text;
}

/** The number behind an id, or null for anything that is not one of ours. */
export function decodeId(id: string): bigint | null {
  if (id.length === 0 || id.length > 13) return null;
  let value = 0n;
  for (const char of id) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = (value << 5n) | BigInt(digit);
  }
  return value;
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

export function compareIds(a: string, b: string): number {
  const x = decodeId(a) ?? 0n;
  const y = decodeId(b) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}
