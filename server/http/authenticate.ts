import type { Context } from "hono";
import type { User } from "../auth";
import { ProblemError, unauthorized } from "../jmap/errors";
import { inSeconds, RateLimited, REFUSAL_DELAY_MS } from "../sign-in-limit";
import type { Store } from "../store";

// Who sends a request: its credentials checked by the store's authenticator, the sign-in
// limit answered as Stalwart does (shared wire reference §2), after the tarpit's delay.

/** Signs a request's Authorization header in, or throws the problem to answer. */
export type Authenticate = (c: Context) => Promise<User>;

/** The TCP peer's address, as @hono/node-server passes the Node request. */
export function peerAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/**
 * The routes' sign-in: the user of the request's credentials, counted against `address(c)`.
 * @throws ProblemError 401 without (valid) credentials, 429 with Retry-After past the limit.
 */
export function authenticator(store: Store, address: (c: Context) => string): Authenticate {
  return async (c) => {
    let user: User | null;
    try {
      user = await store.authenticator.authenticate(c.req.header("Authorization"), address(c));
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
      // A refusal is answered only after REFUSAL_DELAY_MS: a client that keeps guessing
      // (several connections, each sending the next guess on the answer) then sends a few
      // requests a second instead of thousands, and never crowds out other admins' saves.
      await new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));
      // Reference §2: repeated failures from one address wait, with Retry-After.
      throw new ProblemError(
        {
          type: "about:blank",
          status: 429,
          title: "Too Many Requests",
          detail: `Too many failed sign-ins from this address. Try again in ${inSeconds(error.retryAfterSeconds)}.`,
        },
        [["Retry-After", String(error.retryAfterSeconds)]],
      );
    }
    if (!user) throw unauthorized();
    return user;
  };
}
