import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ACTION_PERMISSIONS, TLS_STRATEGY_PERMISSIONS } from "../src/jmap/protocol";

/** Every permission the embedded server knows; `admin` holds them all. */
export const ALL_PERMISSIONS = [
  ...Object.values(TLS_STRATEGY_PERMISSIONS),
  "sysMtaOutboundStrategyGet",
  "sysMtaOutboundStrategyUpdate",
  ...Object.values(ACTION_PERMISSIONS),
] as const;

export interface User {
  name: string;
  accountId: string;
  permissions: ReadonlySet<string>;
  passwordHash: string | null;
  apiKeyHashes: string[];
  /** RFC 8620 §2 sessionState: changes when what the session says about the user changes. */
  sessionState: string;
}

// --- scrypt hashes: "scrypt$N$r$p$salt$hash" ------------------------------------------------

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

function derive(
  secret: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !N || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(
    secret,
    Buffer.from(salt, "base64"),
    Number(N),
    Number(r),
    Number(p),
    expected.length,
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function isHash(value: string): boolean {
  return value.startsWith("scrypt$");
}

// --- users.json ------------------------------------------------------------------------------

export const userDeclarationSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^[^:\s]+$/, "a user name has no spaces or colons"),
    password: z.string().min(1).optional(),
    passwordHash: z.string().refine(isHash, "not a scrypt hash").optional(),
    apiKeys: z.array(z.string().min(8, "an API key has at least 8 characters")).optional(),
    apiKeyHashes: z.array(z.string().refine(isHash, "not a scrypt hash")).optional(),
    permissions: z.union([z.literal("all"), z.array(z.string())]).optional(),
  })
  .strict();

export type UserDeclaration = z.input<typeof userDeclarationSchema>;

export const usersFileSchema = z.object({ users: z.array(userDeclarationSchema) }).strict();

/** Replaces clear-text secrets with their hashes, so none is kept on disk. */
export async function hashDeclaration(user: UserDeclaration): Promise<UserDeclaration> {
  const { password, apiKeys, ...rest } = user;
  const hashed: UserDeclaration = { ...rest };
  if (password !== undefined) hashed.passwordHash = await hashSecret(password);
  if (apiKeys !== undefined) {
    hashed.apiKeyHashes = [
      ...(rest.apiKeyHashes ?? []),
      ...(await Promise.all(apiKeys.map(hashSecret))),
    ];
  }
  return hashed;
}

const ACCOUNT_ALPHABET = "abcdefghijklmnopqrstuvwxyz792013";

/** Account ids in Stalwart's alphabet; admin is "b" as on a fresh Stalwart. */
export function accountIdFor(index: number): string {
  let n = index + 1;
  let id = "";
  do {
    id = ACCOUNT_ALPHABET[n % 32] + id;
    n = Math.floor(n / 32);
  } while (n > 0);
  return id;
}

export function toUser(declaration: UserDeclaration, index: number, isAdmin: boolean): User {
  const permissions = new Set<string>(
    isAdmin || declaration.permissions === "all"
      ? ALL_PERMISSIONS
      : (declaration.permissions ?? []),
  );
  const sessionState = createHash("sha256")
    .update(`${declaration.name}\n${[...permissions].sort().join(",")}`)
    .digest("hex")
    .slice(0, 8);
  return {
    name: declaration.name,
    accountId: accountIdFor(index),
    permissions,
    passwordHash: declaration.passwordHash ?? null,
    apiKeyHashes: declaration.apiKeyHashes ?? [],
    sessionState,
  };
}

// --- Authorization header ---------------------------------------------------------------------

const CACHE_MS = 5 * 60_000;

/**
 * Checks Basic and Bearer credentials. scrypt is deliberately slow (tens of milliseconds), so
 * a credential that verified is remembered for a few minutes under its SHA-256; a wrong one
 * is never cached, so guessing stays as slow as scrypt makes it.
 */
export class Authenticator {
  readonly #verified = new Map<string, { user: User; until: number }>();
  readonly #dummyHash = hashSecret(randomBytes(16).toString("hex"));

  constructor(readonly users: readonly User[]) {}

  async authenticate(header: string | undefined): Promise<User | null> {
    if (!header) return null;
    const cacheKey = createHash("sha256").update(header).digest("hex");
    const cached = this.#verified.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.user;
    const user = await this.#check(header);
    if (user) this.#verified.set(cacheKey, { user, until: Date.now() + CACHE_MS });
    return user;
  }

  async #check(header: string): Promise<User | null> {
    const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return null;
      const user = this.users.find((u) => u.name === decoded.slice(0, colon));
      // An unknown user costs the same scrypt as a known one, so timing tells nothing.
      const isValid = await verifySecret(
        decoded.slice(colon + 1),
        user?.passwordHash ?? (await this.#dummyHash),
      );
      return isValid && user?.passwordHash ? user : null;
    }
    if (scheme.toLowerCase() === "bearer" && value !== "") {
      for (const user of this.users) {
        for (const hash of user.apiKeyHashes) {
          if (await verifySecret(value, hash)) return user;
        }
      }
    }
    return null;
  }
}
