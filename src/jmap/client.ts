import type * as z from "zod/mini";
import { authorizationHeader, type Credentials } from "./authorization";
import {
  ForeignSessionError,
  RateLimitedError,
  RequestError,
  TransportError,
  UnauthorizedError,
} from "./errors";
import {
  type AccountInfo,
  CORE_CAPABILITY,
  type Invocation,
  type ProblemDetails,
  STALWART_CAPABILITY,
} from "./protocol";
import {
  accountSchema,
  coreCapabilitySchema,
  type MethodCall,
  MethodResponses,
  problemSchema,
  responseSchema,
  type Session,
  type SessionMemory,
  sessionSchema,
} from "./wire";

// Over 400 lines, on purpose: the client is one state machine (discovery, the remembered
// session, batching of calls into one request, the sessionState check and the retry with
// new credentials), and each piece reads the private state of the others. Cut apart, the
// pieces would have to expose it. The wire shapes it parses live in wire.ts.

export interface JmapClientOptions {
  /** Where discovery starts (RFC 8620 §2.2). */
  discoveryUrl?: string;
  fetch?: typeof fetch;
  /**
   * Where the tab remembers discovery (SessionMemory). With a remembered session, a reload
   * sends its first data request at once: no round trip for the session before it. The
   * session is read again in the background when an answer's `sessionState` differs from
   * it (RFC 8620 §3.4), and forgotten when a request sent with it fails other than by a 401.
   * Without one, a remembered URL still saves the redirect.
   */
  sessionCache?: { get(): SessionMemory; set(memory: SessionMemory): void };
  /**
   * Told of each request for data (the API and /api/account, not discovery) as it leaves:
   * absolute URL, method, headers and body (session/early-requests.ts records them).
   */
  onDataRequest?: (request: {
    url: string;
    method: string;
    headers: Record<string, string>;
    body?: string;
  }) => void;
}

const USING = [CORE_CAPABILITY, STALWART_CAPABILITY];

interface PendingPart {
  calls: MethodCall[];
  resolve: (responses: MethodResponses) => void;
  reject: (error: unknown) => void;
}

export class JmapClient {
  #authorization: string;
  readonly #fetch: typeof fetch;
  readonly #discoveryUrl: string;
  readonly #sessionCache: JmapClientOptions["sessionCache"];
  readonly #onDataRequest: JmapClientOptions["onDataRequest"];
  #session: Promise<Session> | undefined;
  /** The session came from memory and no answer has confirmed it yet. */
  #isRemembered = false;
  #isDisposed = false;
  /** The resolved value of #session, once there is one. */
  #known: Session | undefined;
  #refreshing: Promise<void> | undefined;
  readonly #sessionListeners = new Set<(session: Session) => void>();

  constructor(
    public credentials: Credentials,
    options: JmapClientOptions = {},
  ) {
    this.#authorization = authorizationHeader(credentials);
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#discoveryUrl = options.discoveryUrl ?? "/.well-known/jmap";
    this.#sessionCache = options.sessionCache;
    this.#onDataRequest = options.onDataRequest;
  }

  /**
   * Signing in again (after a password change or an expired key) keeps this client, its
   * session and every request waiting to be retried; only the credentials change.
   */
  setCredentials(credentials: Credentials): void {
    this.credentials = credentials;
    this.#authorization = authorizationHeader(credentials);
  }

  /** Signed out: this client no longer writes to the tab's session memory. */
  dispose(): void {
    this.#isDisposed = true;
  }

  /**
   * The JMAP session: remembered from an earlier load of this tab (`useRemembered`, the
   * default), else discovered once (following the 307 to /jmap/session) and kept.
   */
  session({ useRemembered = true }: { useRemembered?: boolean } = {}): Promise<Session> {
    if (!this.#session && useRemembered) {
      const remembered = this.#sessionCache?.get().session;
      if (remembered) {
        this.#isRemembered = true;
        this.#known = remembered;
        this.#session = Promise.resolve(remembered);
      }
    }
    this.#session ??= this.#discover().then(
      (session) => {
        this.#known = session;
        return session;
      },
      (error: unknown) => {
        this.#session = undefined;
        throw error;
      },
    );
    return this.#session;
  }

  /** The session when it is already known, without waiting (a remembered one, at once). */
  #knownSession(): Session | undefined {
    if (!this.#session) void this.session().catch(() => undefined);
    return this.#known;
  }

  /**
   * Calls `listener` with the new session each time an answer's `sessionState` showed that the
   * session changed and it was read again (RFC 8620 §3.4): what the caller derived from the
   * old one, such as the permissions, is to be read again too. Returns the unsubscribe.
   */
  onSessionChange(listener: (session: Session) => void): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }

  /** Reads the session again in the background; the one in use stays until it succeeds. */
  #refreshSession() {
    this.#refreshing ??= this.#discover()
      .then(
        (fresh) => {
          this.#known = fresh;
          this.#session = Promise.resolve(fresh);
          this.#isRemembered = false;
          for (const listener of this.#sessionListeners) listener(fresh);
        },
        () => undefined,
      )
      .finally(() => {
        this.#refreshing = undefined;
      });
  }

  async account(): Promise<AccountInfo> {
    // Stalwart serves the caller's permissions beside JMAP (shared wire reference §1).
    const body = await this.#request(
      new URL("/api/account", this.#discovery()),
      { method: "GET" },
      { isData: true },
    );
    return this.#parse(accountSchema, body, "account");
  }

  /**
   * Sends the calls in one HTTP request (RFC 8620 §3.3). Calls made at the same moment by
   * different parts of the page (the list and the outbound strategy, say) share one
   * request: each part's call ids get a prefix, so its results and references stay its own.
   */
  async call(calls: MethodCall[]): Promise<MethodResponses> {
    // A known session is used at once: the request then leaves in this very task, before
    // anything the page renders (and beside a GET started at the same moment).
    const session = this.#knownSession() ?? (await this.session());
    if (calls.length > session.maxCallsInRequest) {
      throw new RangeError(`At most ${session.maxCallsInRequest} calls fit in one request.`);
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ calls, resolve, reject });
      if (this.#isFlushScheduled) return;
      this.#isFlushScheduled = true;
      // Sent once the current task's calls are in: a microtask, not a timer, so the request
      // leaves before the browser renders or paints (a timer waits behind both on a load).
      // Calls that awaited the same discovery resume together, before this microtask runs.
      queueMicrotask(() => this.#flush(session));
    });
  }

  #pending: PendingPart[] = [];
  #isFlushScheduled = false;

  #flush(session: Session) {
    const parts = this.#pending;
    this.#pending = [];
    this.#isFlushScheduled = false;
    const requests: PendingPart[][] = [];
    for (const part of parts) {
      const last = requests[requests.length - 1];
      const size = last?.reduce((sum, p) => sum + p.calls.length, 0) ?? Number.POSITIVE_INFINITY;
      if (last && size + part.calls.length <= session.maxCallsInRequest) last.push(part);
      else requests.push([part]);
    }
    for (const group of requests) void this.#send(session, group);
  }

  async #send(session: Session, group: PendingPart[]) {
    const single = group.length === 1;
    const prefix = (index: number, id: string) => (single ? id : `${index}.${id}`);
    const methodCalls: Invocation[] = group.flatMap(({ calls }, index) =>
      calls.map((call, position): Invocation => {
        const args: Record<string, unknown> = { accountId: session.accountId };
        for (const [key, value] of Object.entries(call.args)) {
          const isReference =
            key.startsWith("#") &&
            typeof value === "object" &&
            value !== null &&
            "resultOf" in value;
          args[key] = isReference
            ? {
                ...value,
                resultOf: prefix(index, String((value as { resultOf: unknown }).resultOf)),
              }
            : value;
        }
        return [call.name, args, prefix(index, call.id ?? `c${position}`)];
      }),
    );
    try {
      const body = await this.#request(
        new URL(session.apiUrl, this.#discovery()),
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ using: USING, methodCalls }),
        },
        { isData: true },
      );
      const { methodResponses, sessionState } = this.#parse(responseSchema, body, "response");
      // The account of a remembered session is gone (another user's memory, a moved
      // account): a failure like any other below, so the retry discovers the session.
      if (
        this.#isRemembered &&
        methodResponses.some(([name, args]) => name === "error" && args.type === "accountNotFound")
      ) {
        throw new TransportError("The remembered session no longer fits; reading it again.");
      }
      this.#isRemembered = false;
      // RFC 8620 §3.4: a different sessionState means the session changed; read it again.
      // A server that sends no session state cannot say it changed.
      if (session.state !== "" && sessionState !== session.state) this.#refreshSession();
      group.forEach(({ resolve }, index) => {
        const own = `${index}.`;
        resolve(
          new MethodResponses(
            single
              ? methodResponses
              : methodResponses
                  .filter(([, , id]) => id.startsWith(own))
                  .map(([name, args, id]): Invocation => [name, args, id.slice(own.length)]),
          ),
        );
      });
    } catch (error) {
      // A remembered session that led to a failure (moved apiUrl, another account) is not
      // trusted again: the next request discovers the session. A 401 or 429 is not its fault.
      if (
        this.#isRemembered &&
        !(error instanceof UnauthorizedError || error instanceof RateLimitedError)
      ) {
        this.#isRemembered = false;
        this.#session = undefined;
        this.#known = undefined;
        if (!this.#isDisposed) this.#sessionCache?.set({ url: this.#sessionCache.get().url });
      }
      for (const { reject } of group) reject(error);
    }
  }

  async #discover(): Promise<Session> {
    const cached = this.#sessionCache?.get().url;
    let body: unknown;
    let url = cached;
    if (cached) {
      // A remembered session URL that stopped working (moved server, proxy) is forgotten
      // and discovery starts over; a 401 or a 429 is the credentials' fault and goes up as is.
      body = await this.#request(new URL(cached, this.#discovery()), { method: "GET" }).catch(
        (error: unknown) => {
          if (error instanceof UnauthorizedError || error instanceof RateLimitedError) throw error;
          return undefined;
        },
      );
    }
    if (body === undefined) {
      let finalUrl = "";
      body = await this.#request(
        this.#discovery(),
        { method: "GET" },
        {
          onFinalUrl: (url) => {
            finalUrl = url;
          },
        },
      );
      url = finalUrl || undefined;
    }
    const session = this.#parse(sessionSchema, body, "session");
    const accountId = session.primaryAccounts[STALWART_CAPABILITY];
    if (!accountId) {
      // Without credentials Stalwart answers with capabilities only (shared wire reference §1).
      if (session.username === "") throw new UnauthorizedError();
      throw new TransportError("This server does not offer Stalwart's management API.");
    }
    // Credentials go to the apiUrl: only to this page's own origin (reference §1).
    const pageOrigin = this.#discovery().origin;
    const apiOrigin = new URL(session.apiUrl, this.#discovery()).origin;
    if (apiOrigin !== pageOrigin) throw new ForeignSessionError(session.apiUrl, pageOrigin);
    const core = coreCapabilitySchema.safeParse(session.capabilities[CORE_CAPABILITY] ?? {});
    const discovered: Session = {
      username: session.username,
      apiUrl: session.apiUrl,
      accountId,
      maxCallsInRequest: core.success ? core.data.maxCallsInRequest : 16,
      maxObjectsInGet: core.success ? core.data.maxObjectsInGet : 500,
      maxObjectsInSet: core.success ? core.data.maxObjectsInSet : 500,
      state: session.state,
    };
    // A client signed out meanwhile must not leave its session for the next one.
    if (!this.#isDisposed) this.#sessionCache?.set({ url, session: discovered });
    return discovered;
  }

  #discovery(): URL {
    return new URL(this.#discoveryUrl, globalThis.location?.href);
  }

  /**
   * One HTTP request with the credentials; the parsed JSON body of a 2xx. `onFinalUrl` gets
   * where redirects led; `isData` tells `onDataRequest`. Throws UnauthorizedError (401),
   * RateLimitedError (429), RequestError (a 4xx problem, RFC 9457), else TransportError.
   */
  async #request(
    url: URL,
    init: { method: string; headers?: Record<string, string>; body?: string },
    { onFinalUrl, isData = false }: { onFinalUrl?: (url: string) => void; isData?: boolean } = {},
  ): Promise<unknown> {
    const headers = { ...init.headers, Accept: "application/json" };
    if (isData) this.#onDataRequest?.({ ...init, url: url.href, headers });
    let response: Response;
    const sentWith = this.#authorization;
    try {
      response = await this.#fetch(url, {
        ...init,
        headers: { ...headers, Authorization: sentWith },
        credentials: "omit",
      });
    } catch (error) {
      throw new TransportError(
        "Could not reach the server. Check your connection and try again.",
        undefined,
        {
          cause: error,
        },
      );
    }
    if (response.status === 401)
      throw new UnauthorizedError(undefined, sentWith !== this.#authorization);
    if (response.status === 429) {
      const seconds = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
      throw new RateLimitedError(Number.isSafeInteger(seconds) && seconds > 0 ? seconds : 60);
    }
    if (response.ok && response.url) onFinalUrl?.(response.url);
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const problem = problemSchema.safeParse(body);
      if (problem.success && response.status < 500)
        throw new RequestError(problem.data as ProblemDetails);
      const retryAfter = response.headers.get("Retry-After");
      const detail = problem.success ? (problem.data.detail ?? problem.data.title) : undefined;
      throw new TransportError(
        `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${
          detail ? `: ${detail}` : "."
        }${retryAfter ? ` Try again in ${retryAfter} seconds.` : ""}`,
        response.status,
      );
    }
    if (body === undefined)
      throw new TransportError("The server's answer was not JSON.", response.status);
    return body;
  }

  #parse<T>(schema: z.ZodMiniType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new TransportError(`The server's ${what} was not understood.`, undefined, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}
