/** What the admin signed in with: a password (HTTP Basic) or an API key (Bearer). */
export type Credentials =
  | { kind: "basic"; username: string; password: string }
  | { kind: "bearer"; token: string };

/**
 * The `Authorization` header for `credentials` (RFC 7617 Basic, RFC 6750 Bearer), as
 * Stalwart takes it on every route (shared wire reference §1). No dependencies: the inline
 * script of index.html (src/boot/early-requests.ts) computes it too.
 */
export function authorizationHeader(credentials: Credentials): string {
  if (credentials.kind === "bearer") return `Bearer ${credentials.token}`;
  // btoa only takes Latin-1; encode as UTF-8 first so non-ASCII passwords survive.
  const bytes = new TextEncoder().encode(`${credentials.username}:${credentials.password}`);
  return `Basic ${btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""))}`;
}

/**
 * The same credentials with the secret (password or API key) blanked: what a tab keeps in
 * memory after another tab signed out while it held unsaved work. The username stays, to be
 * shown and offered again in the sign-in dialog; the server refuses the rest.
 */
export function withoutSecret(credentials: Credentials): Credentials {
  return credentials.kind === "basic"
    ? { kind: "basic", username: credentials.username, password: "" }
    : { kind: "bearer", token: "" };
}
