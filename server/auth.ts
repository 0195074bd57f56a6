import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import {
  ACTION_PERMISSIONS,
  LIVE_DELIVERY_TEST_PERMISSION,
  OUTBOUND_STRATEGY_PERMISSIONS,
  TLS_STRATEGY_PERMISSIONS,
} from "../src/jmap/protocol";
import { ACTION_METHOD_PERMISSIONS } from "./permissions";
import { FailureLimiter } from "./sign-in-limit";

// Who may call the embedded server: users with passwords (scrypt) and API keys (a keyed fast
// hash: keys are long and random, so one HMAC per attempt is enough, looked up by a prefix).
// Failed sign-ins are rate-limited per address (sign-in-limit.ts), and password hashing runs
// one at a time so that an attack cannot take the thread pool that saves need (README,
// "Signing in: limits").

/** Every permission the embedded server knows; `admin` holds them all. */
export const ALL_PERMISSIONS = [
  ...Object.values(TLS_STRATEGY_PERMISSIONS),
  ...Object.values(OUTBOUND_STRATEGY_PERMISSIONS),
  ...Object.values(ACTION_PERMISSIONS),
  ACTION_METHOD_PERMISSIONS.get,
  ACTION_METHOD_PERMISSIONS.update,
  ACTION_METHOD_PERMISSIONS.destroy,
  // Stalwart grants it to superusers and tenant admins by default (shared delivery reference
  // §3.1: common/src/auth/permissions.rs l.259-262).
  LIVE_DELIVERY_TEST_PERMISSION,
] as const;

export interface User {
  name: string;
  accountId: string;
  permissions: ReadonlySet<string>;
  /** May act on any account (shared wire reference §8). */
  isAdministrator: boolean;
  passwordHash: string | null;
  apiKeyHashes: string[];
  /** RFC 8620 §2 sessionState: changes when what the session says about the user changes. */
  sessionState: string;
}

// --- Passwords: scrypt, "scrypt$N$r$p$salt$hash" ----------------------------------------------

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

/**
 * scrypt runs on libuv's thread pool, which file writes share (4 threads by default). One
 * hash at a time keeps three of them for saves, whatever the number of sign-in attempts.
 */
let hashing: Promise<unknown> = Promise.resolve();

/** How many scrypt derivations ran: what a sign-in attempt costs, for the tests. */
export const scryptRuns = { count: 0 };

function derive(
  secret: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  scryptRuns.count += 1;
  const run = hashing.then(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(secret, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  );
  hashing = run.catch(() => undefined);
  return run;
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

// --- API keys: HMAC-SHA-256 under the server's secret, "hmac-sha256$prefix$mac" ------------

/** Characters of a key kept in clear to find its hash: too few to help a guess. */
const KEY_PREFIX_LENGTH = 4;
export const MIN_API_KEY_LENGTH = 16;

function mac(key: string, secret: Buffer): Buffer {
  return createHmac("sha256", secret).update(key, "utf8").digest();
}

/** A key's first characters, base64url-encoded so that no key can break the stored form. */
function keyPrefix(key: string): string {
  return Buffer.from(key.slice(0, KEY_PREFIX_LENGTH), "utf8").toString("base64url");
}

/** The stored form of an API key: its first characters, and its HMAC. */
export function hashApiKey(key: string, secret: Buffer): string {
  return `hmac-sha256$${keyPrefix(key)}$${mac(key, secret).toString("base64")}`;
}

export function isApiKeyHash(value: string): boolean {
  return /^hmac-sha256\$[A-Za-z0-9_-]+\$[A-Za-z0-9+/]+=*$/.test(value) || isHash(value);
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
    apiKeys: z
      .array(
        z
          .string()
          .min(MIN_API_KEY_LENGTH, `an API key has at least ${MIN_API_KEY_LENGTH} characters`),
      )
      .optional(),
    apiKeyHashes: z.array(z.string().refine(isApiKeyHash, "not an API key hash")).optional(),
    permissions: z.union([z.literal("all"), z.array(z.string())]).optional(),
  })
  .strict();

export type UserDeclaration = z.input<typeof userDeclarationSchema>;

export const usersFileSchema = z.object({ users: z.array(userDeclarationSchema) }).strict();

/** Replaces clear-text secrets with their hashes, so none is kept on disk. */
export async function hashDeclaration(
  user: UserDeclaration,
  apiKeySecret: Buffer,
): Promise<UserDeclaration> {
  const { password, apiKeys, ...rest } = user;
  const hashed: UserDeclaration = { ...rest };
  if (password !== undefined) hashed.passwordHash = await hashSecret(password);
  if (apiKeys !== undefined) {
    hashed.apiKeyHashes = [
      ...(rest.apiKeyHashes ?? []),
      ...apiKeys.map((key) => hashApiKey(key, apiKeySecret)),
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
    isAdministrator: isAdmin,
    passwordHash: declaration.passwordHash ?? null,
    apiKeyHashes: declaration.apiKeyHashes ?? [],
    sessionState,
  };
}

// --- Authorization header ---------------------------------------------------------------------

const CACHE_MS = 5 * 60_000;
/** Credentials remembered at most; the least recently used are forgotten first. */
const CACHE_SIZE = 1_000;
/** A wrong credential sent again at once (a page's parallel requests) is one guess, not two. */
const FAILED_MS = 10_000;
const FAILED_REMEMBERED = 1_000;

/**
 * Checks Basic and Bearer credentials (shared wire reference §2). A credential that verified
 * is remembered for a few minutes under its SHA-256, so a signed-in page costs no hash per
 * request; a wrong one is never cached, and counts against its address.
 */
export class Authenticator {
  readonly #verified = new Map<string, { user: User; until: number }>();
  readonly #failed = new Map<string, number>();
  readonly #checking = new Map<string, Promise<User | null>>();
  readonly #dummyHash = hashSecret(randomBytes(16).toString("hex"));
  readonly #byPrefix = new Map<string, { hash: Buffer; user: User }[]>();
  readonly #legacyKeys: { hash: string; user: User }[] = [];

  constructor(
    readonly users: readonly User[],
    readonly apiKeySecret: Buffer,
    readonly limiter = new FailureLimiter(),
  ) {
    for (const user of users) {
      for (const stored of user.apiKeyHashes) {
        if (isHash(stored)) {
          this.#legacyKeys.push({ hash: stored, user });
          continue;
        }
        const [, prefix = "", digest = ""] = stored.split("$");
        const entries = this.#byPrefix.get(prefix) ?? [];
        entries.push({ hash: Buffer.from(digest, "base64"), user });
        this.#byPrefix.set(prefix, entries);
      }
    }
  }

  /** Whether some API keys are stored in the old, slow form (one scrypt each). */
  get hasLegacyApiKeys(): boolean {
    return this.#legacyKeys.length > 0;
  }

  /**
   * The user the header signs in, or null.
   * @throws RateLimited when the address failed too often lately.
   */
  async authenticate(header: string | undefined, address = "unknown"): Promise<User | null> {
    if (!header) return null;
    const cacheKey = createHash("sha256").update(header).digest("hex");
    const cached = this.#verified.get(cacheKey);
    if (cached) {
      this.#verified.delete(cacheKey);
      if (cached.until > Date.now()) {
        this.#verified.set(cacheKey, cached);
        return cached.user;
      }
    }
    if ((this.#failed.get(cacheKey) ?? 0) > Date.now()) return null;
    // The same header checked at the same moment (a page's parallel requests): one check.
    const checking = this.#checking.get(cacheKey);
    if (checking) return checking;
    this.limiter.take(address);
    const check = this.#check(header).then((user) => {
      if (user) {
        this.limiter.refund(address);
        this.#verified.set(cacheKey, { user, until: Date.now() + CACHE_MS });
        if (this.#verified.size > CACHE_SIZE) {
          const oldest = this.#verified.keys().next().value;
          if (oldest !== undefined) this.#verified.delete(oldest);
        }
      } else {
        this.#failed.set(cacheKey, Date.now() + FAILED_MS);
        if (this.#failed.size > FAILED_REMEMBERED) {
          const oldest = this.#failed.keys().next().value;
          if (oldest !== undefined) this.#failed.delete(oldest);
        }
      }
      return user;
    });
    this.#checking.set(cacheKey, check);
    try {
      return await check;
    } finally {
      this.#checking.delete(cacheKey);
    }
  }

  async #check(header: string): Promise<User | null> {
    const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return null;
      // The user name is trimmed and lower-cased before lookup (reference §2).
      const name = decoded.slice(0, colon).trim().toLowerCase();
      const user = this.users.find((u) => u.name.toLowerCase() === name);
      // An unknown user costs the same scrypt as a known one, so timing tells nothing.
      const isValid = await verifySecret(
        decoded.slice(colon + 1),
        user?.passwordHash ?? (await this.#dummyHash),
      );
      return isValid && user?.passwordHash ? user : null;
    }
    if (scheme.toLowerCase() === "bearer" && value !== "") {
      // One HMAC, whatever the number of keys; compared in constant time.
      const digest = mac(value, this.apiKeySecret);
      for (const entry of this.#byPrefix.get(keyPrefix(value)) ?? []) {
        if (entry.hash.length === digest.length && timingSafeEqual(entry.hash, digest))
          return entry.user;
      }
      for (const entry of this.#legacyKeys) {
        if (await verifySecret(value, entry.hash)) return entry.user;
      }
    }
    return null;
  }
}
