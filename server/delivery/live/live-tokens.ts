import { randomBytes } from "node:crypto";

// The tokens of Stalwart's live delivery test (shared delivery reference §3.1): `GET
// /api/token/delivery` gives a plain-text token (GrantType::LiveDelivery) valid 60 s, which
// `GET /api/live/delivery/{target}?token=…` accepts instead of an Authorization header. Like
// Stalwart's grant, a token works any number of times until it expires. Beyond Stalwart, for
// memory: at most `max` live tokens are kept, the oldest dropped first.

export interface LiveTokens<T> {
  /** A new token for `holder` (who asked), valid `ttlMs` from `now`. */
  issue(holder: T, now?: number): string;
  /** The holder of `token`, or null when it is unknown or expired at `now`. */
  redeem(token: string, now?: number): T | null;
  /** Tokens kept now (expired ones are dropped on every issue). */
  size(): number;
}

/** Stalwart's token lifetime (ms), http/src/api/mod.rs l.112-185. */
export const LIVE_TOKEN_TTL_MS = 60_000;

/**
 * A token store: tokens are 32 random bytes, base64url; each is valid `ttlMs` (ms, default
 * 60000) from its issue; at most `max` (default 1000) are kept.
 */
export function createLiveTokens<T>(ttlMs = LIVE_TOKEN_TTL_MS, max = 1_000): LiveTokens<T> {
  // A Map iterates in insertion order: the first entries are the oldest.
  const tokens = new Map<string, { holder: T; expires: number }>();
  return {
    issue(holder, now = Date.now()) {
      for (const [token, entry] of tokens) {
        if (entry.expires > now && tokens.size < max) break;
        tokens.delete(token);
      }
      const token = randomBytes(32).toString("base64url");
      tokens.set(token, { holder, expires: now + ttlMs });
      return token;
    },
    redeem(token, now = Date.now()) {
      const entry = tokens.get(token);
      if (!entry) return null;
      if (entry.expires <= now) {
        tokens.delete(token);
        return null;
      }
      return entry.holder;
    },
    size: () => tokens.size,
  };
}
