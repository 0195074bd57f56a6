// Failed sign-ins, per client address (README, "Signing in: limits"): a burst is allowed,
// then one more every few seconds; beyond that a sign-in is refused unchecked, with the wait,
// and answered only after a delay (a tarpit).

/**
 * How long a sign-in refused by the rate limit (429) waits before it is answered, in ms: a
 * tarpit that bounds what a flood of guesses costs the server (README, "Signing in: limits").
 */
export const REFUSAL_DELAY_MS = 250;

/** A burst of failures is allowed from one address, then one more every few seconds. */
export const SIGN_IN_LIMIT = {
  /** Failed sign-ins allowed at once. */
  burst: 10,
  /** One more allowed every this many milliseconds. */
  refillMs: 6_000,
  /** Addresses remembered at most; the longest quiet are forgotten first. */
  addresses: 10_000,
};

/** "1 second", "6 seconds" */
export const inSeconds = (seconds: number) => `${seconds} second${seconds === 1 ? "" : "s"}`;

/** Too many failed sign-ins from one address: wait `retryAfterSeconds`. */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins: try again in ${inSeconds(retryAfterSeconds)}.`);
  }
}

/**
 * The bucket an address counts in: an IPv4 address alone; an IPv6 address by its /64, the
 * block one subscriber holds, so rotating through it does not make new buckets.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.split("%")[0]?.split("::") ?? [];
  const left = head === "" ? [] : head.split(":");
  const right = address.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
  const groups = address.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group || "0", 16) || 0).toString(16))
    .join(":")}::/64`;
}

/**
 * Token buckets of sign-ins, one per address (block): an attempt takes a token before it is
 * checked, so parallel attempts cannot outrun the limit, and a success gives it back.
 */
export class FailureLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit = SIGN_IN_LIMIT,
    readonly now: () => number = Date.now,
  ) {}

  #bucket(address: string) {
    const now = this.now();
    const bucket = this.#buckets.get(address) ?? { tokens: this.limit.burst, at: now };
    const refilled = Math.floor((now - bucket.at) / this.limit.refillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(this.limit.burst, bucket.tokens + refilled);
      bucket.at += refilled * this.limit.refillMs;
    }
    if (bucket.tokens === this.limit.burst) bucket.at = now;
    return bucket;
  }

  /**
   * Takes a token for one attempt from the address.
   * @throws RateLimited with the seconds until the next token, when there is none.
   */
  take(address: string): void {
    const key = addressBucket(address);
    const bucket = this.#bucket(key);
    if (bucket.tokens <= 0) {
      const wait = bucket.at + this.limit.refillMs - this.now();
      throw new RateLimited(Math.max(1, Math.ceil(wait / 1000)));
    }
    bucket.tokens -= 1;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.limit.addresses) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }

  /** Gives the token back: the attempt signed in. */
  refund(address: string): void {
    const bucket = this.#buckets.get(addressBucket(address));
    if (bucket) bucket.tokens = Math.min(this.limit.burst, bucket.tokens + 1);
  }
}
