import { createHash } from "node:crypto";
import type { Context } from "hono";
import * as z from "zod/mini";
import { LIVE_DELIVERY_TEST_PERMISSION } from "../../src/jmap/protocol";
import { ProblemError, unauthorized } from "../jmap/errors";
import type { Authenticate } from "./authenticate";

// Who may test a destination (README "Testing a destination"): Stalwart's `liveDeliveryTest`
// permission, read from the embedded server's users, or, in proxy mode, from the real Stalwart's
// `GET /api/account` asked with the caller's own credentials. Nobody the server cannot authenticate
// gets a probe.

/** The caller of a probe: a key for the per-user limit, and whether they may run it. */
export interface ProbeCaller {
  user: string;
  canTest: boolean;
}

/** Signs the request in and reads its permission, or throws the ProblemError to answer. */
export type AuthoriseProbe = (c: Context) => Promise<ProbeCaller>;

/** The 403 of the page's probe endpoint (the contract of server/http/delivery.ts). */
export const probeForbidden = () =>
  new ProblemError({
    type: "about:blank",
    status: 403,
    title: "Forbidden",
    detail: `Testing a destination needs the ${LIVE_DELIVERY_TEST_PERMISSION} permission.`,
  });

/** How long a client refused as busy should wait before trying again (s). */
export const BUSY_RETRY_AFTER_S = 5;

/** The busy answer of both test endpoints: 429 with the limiter's text and Retry-After. */
export const busy = (detail: string) =>
  new ProblemError({ type: "about:blank", status: 429, title: "Too Many Requests", detail }, [
    ["Retry-After", String(BUSY_RETRY_AFTER_S)],
  ]);

/** Embedded: the store's user and its permissions (administrators hold every one). */
export function embeddedAccess(authenticate: Authenticate): AuthoriseProbe {
  return async (c) => {
    const user = await authenticate(c);
    return { user: user.name, canTest: user.permissions.has(LIVE_DELIVERY_TEST_PERMISSION) };
  };
}

const accountSchema = z.object({ permissions: z.array(z.string()) });
const problemSchema = z.object({
  type: z.string(),
  title: z.optional(z.string()),
  detail: z.optional(z.string()),
});

/** How long the page's server waits for the real Stalwart's `/api/account` (ms). */
export const UPSTREAM_ACCOUNT_TIMEOUT_MS = 10_000;

const badGateway = (detail: string) =>
  new ProblemError({ type: "about:blank", status: 502, title: "Bad Gateway", detail });

/**
 * Proxy mode: asks `upstream`'s `GET /api/account` (shared wire reference §1) with the
 * caller's Authorization and X-Forwarded-For `address(c)`, within 10 s. The caller is keyed by
 * a hash of the credentials (the account answer names no user).
 * @throws ProblemError 401 without credentials or when Stalwart refuses them (its status,
 * body and WWW-Authenticate passed on; 429 too), 502 when Stalwart cannot be asked or answers
 * something else.
 */
export function upstreamAccess(upstream: string, address: (c: Context) => string): AuthoriseProbe {
  const accountUrl = new URL("/api/account", upstream);
  return async (c) => {
    const authorization = c.req.header("Authorization");
    if (!authorization) throw unauthorized();
    let response: Response;
    try {
      response = await fetch(accountUrl, {
        headers: { Authorization: authorization, "X-Forwarded-For": address(c) },
        redirect: "manual",
        signal: AbortSignal.timeout(UPSTREAM_ACCOUNT_TIMEOUT_MS),
      });
    } catch (error) {
      throw badGateway(
        `Could not ask the Stalwart server at ${accountUrl.origin} who you are: ${(error as Error).message}`,
      );
    }
    if (response.status === 401 || response.status === 429) {
      // Stalwart's own refusal (bad credentials, or its sign-in limit) is the answer.
      const problem = problemSchema.safeParse(await response.json().catch(() => null));
      const headers: [string, string][] = [];
      for (const name of ["WWW-Authenticate", "Retry-After"]) {
        const value = response.headers.get(name);
        if (value !== null) headers.push([name, value]);
      }
      if (response.status === 401 && (!problem.success || headers.length === 0))
        throw unauthorized();
      throw new ProblemError(
        problem.success
          ? { ...problem.data, status: response.status }
          : { type: "about:blank", status: 429, title: "Too Many Requests" },
        headers,
      );
    }
    const body = response.ok
      ? accountSchema.safeParse(await response.json().catch(() => null))
      : null;
    if (!body?.success)
      throw badGateway(
        `The Stalwart server answered ${response.status} to ${accountUrl.pathname} instead of the account's permissions.`,
      );
    const user = createHash("sha256").update(authorization).digest("base64url").slice(0, 16);
    return { user, canTest: body.data.permissions.includes(LIVE_DELIVERY_TEST_PERMISSION) };
  };
}
