import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import {
  Authenticator,
  hashDeclaration,
  hashSecret,
  isHash,
  toUser,
  type User,
  type UserDeclaration,
  usersFileSchema,
  verifySecret,
} from "./auth";
import { canonicalId, decodeId, idGenerator } from "./ids";
import {
  DEFAULT_OUTBOUND_STRATEGY,
  firstCompileError,
  isStoredExpression,
  PROPERTIES as OUTBOUND_PROPERTIES,
  type OutboundStrategy,
  runnableOutbound,
  withoutLegacyDefaults,
} from "./objects/outbound-strategy";
import { brokenRules, SEED, type Strategy, TLS_POLICIES } from "./objects/tls-strategy";

const STORE_FILE = "store.json";
const USERS_FILE = "users.json";

// What the file must hold: the shapes, and then the object definitions' own rules, so that
// the store never loads what the methods would refuse to write. (One exception: an outbound
// expression that no longer compiles is kept, as Stalwart keeps it after an upgrade, and
// blocks /set until fixed; delivery runs with its default meanwhile.)
const strategySchema = z
  .object({
    // Any id the server can parse; it is kept in its shortest form (shared wire reference §3).
    id: z.string().refine((id) => canonicalId(id) !== null, "not an id"),
    name: z.string(),
    description: z.string().nullable(),
    allowInvalidCerts: z.boolean(),
    dane: z.enum(TLS_POLICIES),
    mtaSts: z.enum(TLS_POLICIES),
    startTls: z.enum(TLS_POLICIES),
    mtaStsTimeout: z.number(),
    tlsTimeout: z.number(),
  })
  .refine((strategy) => brokenRules(strategy).length === 0, "breaks a rule of MtaTlsStrategy");

const expressionSchema = z.unknown().refine(isStoredExpression, "not an expression");

const outboundSchema = z.object(
  Object.fromEntries(OUTBOUND_PROPERTIES.map((property) => [property, expressionSchema])) as Record<
    (typeof OUTBOUND_PROPERTIES)[number],
    typeof expressionSchema
  >,
);

const storeFileSchema = z.object({
  version: z.literal(1),
  lastId: z.string().regex(/^\d+$/),
  adminPasswordHash: z.string().refine(isHash),
  // The key of the API keys' HMAC; absent in stores written before API keys were HMACs.
  apiKeySecret: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .optional(),
  strategies: z.array(strategySchema),
  // Absent in stores written before the outbound strategy could change: Stalwart's default.
  outbound: outboundSchema.optional(),
});

type StoreFile = z.infer<typeof storeFileSchema>;

/**
 * Writes a file so that a crash at any instant leaves either the old or the new content:
 * write a temporary file, flush it to disk, rename it over the old one (atomic on POSIX),
 * then flush the directory so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const file = await open(temporary, "w", 0o600);
    try {
      await file.writeFile(content);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const directory = await open(join(path, ".."), "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

const TEMPORARY = /\.json\.\d+\.[0-9a-f]+\.tmp$/;

/**
 * The data directory, made private (0700) when created; what a crash left behind (the
 * temporary files of writeFileAtomic) is removed before anything is read.
 */
async function prepareDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const info = await stat(dataDir);
  if ((info.mode & 0o077) !== 0) {
    try {
      await chmod(dataDir, 0o700);
    } catch {
      console.warn(`${dataDir} can be read by other users of this machine; make it 0700.`);
    }
  }
  for (const entry of await readdir(dataDir)) {
    if (TEMPORARY.test(entry)) await rm(join(dataDir, entry), { force: true });
  }
}

async function readJson(path: string, what: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; fix or move it (${what} is left untouched).`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`)
    .join("; ");
}

/** The settings the store keeps: what a settings reload builds delivery from. */
export interface Configuration {
  /** In creation order. */
  readonly strategies: ReadonlyMap<string, Strategy>;
  readonly outbound: OutboundStrategy;
}

/** A copy of the configuration that a transaction may change. */
export interface ConfigurationDraft {
  strategies: Map<string, Strategy>;
  outbound: OutboundStrategy;
}

export interface Store extends Configuration {
  /** The committed strategies, in creation order. Never mutate: use transaction(). */
  readonly strategies: ReadonlyMap<string, Strategy>;
  readonly outbound: OutboundStrategy;
  /**
   * What delivery runs with: a copy of the configuration taken at start and replaced only
   * by reload(). A save changes the stored configuration, not this (shared wire reference
   * §11).
   */
  readonly running: Configuration;
  readonly authenticator: Authenticator;
  /**
   * Applies `change` to a copy of the configuration and makes it durable before it becomes
   * visible; changes run one at a time, so there is one writer. Resolves to what `change`
   * returned.
   */
  transaction<T = void>(change: (draft: ConfigurationDraft, newId: () => string) => T): Promise<T>;
  /** A settings reload: the running copy becomes the stored configuration, all at once. */
  reload(): void;
}

export interface StoreOptions {
  /** null keeps everything in memory (tests). */
  dataDir: string | null;
  adminPassword?: string;
  /** Extra users, in addition to DATA_DIR/users.json. */
  users?: UserDeclaration[];
}

export async function openStore(
  options: StoreOptions,
): Promise<{ store: Store; generatedAdminPassword: string | null }> {
  const { dataDir } = options;
  const storePath = dataDir === null ? null : join(dataDir, STORE_FILE);
  if (dataDir !== null) await prepareDataDir(dataDir);

  let file: StoreFile | undefined;
  if (storePath) {
    const raw = await readJson(storePath, "the store");
    if (raw !== undefined) {
      const parsed = storeFileSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(`${storePath} is not a valid store: ${describeIssues(parsed.error)}`);
      file = parsed.data;
    }
  }

  // The key of API keys' HMACs: kept in the store beside the admin's password hash.
  const apiKeySecret = file?.apiKeySecret
    ? Buffer.from(file.apiKeySecret, "base64")
    : randomBytes(32);

  let generatedAdminPassword: string | null = null;
  let adminPasswordHash = file?.adminPasswordHash;
  if (options.adminPassword !== undefined) {
    if (!adminPasswordHash || !(await verifySecret(options.adminPassword, adminPasswordHash))) {
      adminPasswordHash = await hashSecret(options.adminPassword);
    }
  } else if (!adminPasswordHash) {
    generatedAdminPassword = randomBytes(15).toString("base64url");
    adminPasswordHash = await hashSecret(generatedAdminPassword);
  }

  let lastId = BigInt(file?.lastId ?? "0");
  const nextId = () => {
    const id = generate();
    lastId = decodeId(id) ?? lastId;
    return id;
  };
  const generate = idGenerator(lastId);
  let strategies = new Map<string, Strategy>();
  let isRewritten = false;
  for (const stored of file?.strategies ?? []) {
    const id = canonicalId(stored.id) as string;
    if (strategies.has(id)) throw new Error(`${storePath} holds the id ${id} twice.`);
    isRewritten ||= id !== stored.id;
    strategies.set(id, { ...stored, id });
  }
  // A fresh server holds the two shipped strategies; so does one whose strategies were all
  // deleted, at its next start (reference §3).
  const isReseeded = strategies.size === 0;
  if (isReseeded) {
    for (const seed of SEED) {
      const id = nextId();
      strategies.set(id, { id, ...seed });
    }
  }
  const storedOutbound = file?.outbound as OutboundStrategy | undefined;
  let outbound: OutboundStrategy = storedOutbound
    ? withoutLegacyDefaults(storedOutbound)
    : structuredClone(DEFAULT_OUTBOUND_STRATEGY);
  isRewritten ||= storedOutbound !== undefined && outbound !== storedOutbound;
  const compileError = firstCompileError(outbound);
  if (compileError) {
    console.warn(
      `${storePath ?? "The store"}: the outbound strategy does not compile (${JSON.stringify(compileError)}); delivery uses the default expression until it is fixed.`,
    );
  }
  // Committed versions are never changed in place, so the running copy may share them.
  let running: Configuration = { strategies, outbound: runnableOutbound(outbound) };

  const declarations = await Promise.all(
    [...(await loadUsersFile(dataDir, apiKeySecret)), ...(options.users ?? [])].map((user) =>
      hashDeclaration(user, apiKeySecret),
    ),
  );
  // admin's password is STALWART_ADMIN_PASSWORD's; users.json may only give it API keys.
  const adminDeclaration = declarations.find((d) => d.name === "admin");
  const users: User[] = [
    toUser(
      {
        name: "admin",
        passwordHash: adminPasswordHash,
        apiKeyHashes: adminDeclaration?.apiKeyHashes,
      },
      0,
      true,
    ),
    ...declarations.filter((d) => d.name !== "admin").map((d, i) => toUser(d, i + 1, false)),
  ];

  const persist = async (next: Configuration) => {
    if (!storePath) return;
    const content: StoreFile = {
      version: 1,
      lastId: lastId.toString(),
      adminPasswordHash: adminPasswordHash as string,
      apiKeySecret: apiKeySecret.toString("base64"),
      strategies: [...next.strategies.values()],
      outbound: next.outbound,
    };
    await writeFileAtomic(storePath, `${JSON.stringify(content, null, 2)}\n`);
  };
  if (
    !file ||
    isRewritten ||
    file.adminPasswordHash !== adminPasswordHash ||
    !file.outbound ||
    !file.apiKeySecret
  )
    await persist({ strategies, outbound });
  const authenticator = new Authenticator(users, apiKeySecret);
  if (authenticator.hasLegacyApiKeys) {
    console.warn(
      "users.json holds API keys hashed in the old, slow form: declare them again in clear text (apiKeys) to have them stored as fast HMACs.",
    );
  }

  let queue: Promise<unknown> = Promise.resolve();
  const store: Store = {
    get strategies() {
      return strategies;
    },
    get outbound() {
      return outbound;
    },
    get running() {
      return running;
    },
    authenticator,
    transaction<T>(change: (draft: ConfigurationDraft, newId: () => string) => T) {
      const run = queue.then(async () => {
        const draft: ConfigurationDraft = {
          strategies: new Map(strategies),
          outbound: structuredClone(outbound),
        };
        const lastIdBefore = lastId;
        let result: T;
        try {
          result = change(draft, nextId);
          await persist(draft);
        } catch (error) {
          lastId = lastIdBefore;
          throw error;
        }
        strategies = draft.strategies;
        outbound = draft.outbound;
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    reload() {
      running = { strategies, outbound: runnableOutbound(outbound) };
    },
  };
  return { store, generatedAdminPassword };
}

/** Reads DATA_DIR/users.json and, if it holds clear-text secrets, rewrites it with hashes. */
async function loadUsersFile(
  dataDir: string | null,
  apiKeySecret: Buffer,
): Promise<UserDeclaration[]> {
  if (dataDir === null) return [];
  const path = join(dataDir, USERS_FILE);
  const raw = await readJson(path, "users.json");
  if (raw === undefined) return [];
  const parsed = usersFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not valid: ${describeIssues(parsed.error)}`);
  const { users } = parsed.data;
  const names = new Set<string>();
  for (const user of users) {
    if (names.has(user.name)) throw new Error(`${path} declares the user “${user.name}” twice.`);
    names.add(user.name);
  }
  if (!users.some((u) => u.password !== undefined || u.apiKeys !== undefined)) return users;
  const hashed = await Promise.all(users.map((user) => hashDeclaration(user, apiKeySecret)));
  await writeFileAtomic(path, `${JSON.stringify({ users: hashed }, null, 2)}\n`);
  return hashed;
}
