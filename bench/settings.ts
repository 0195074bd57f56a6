// What every measure of the bench shares: who signs in, and the store sizes the browser
// timings compare.

export const ADMIN_PASSWORD = "bench-password";

/** The Authorization header of the admin, as a signed-in page sends it. */
export const ADMIN_AUTHORIZATION = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;

/** The store sizes the browser timings run on: the two shipped strategies, and many. */
export const SIZES = [2, 5_000];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
