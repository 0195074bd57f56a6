import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { authorizationHeader, type Credentials } from "../jmap/authorization";
import { LIST_PATH } from "../paths";
import {
  adoptingFetch,
  beginOpening,
  CREDENTIALS_KEY,
  EARLY_KEY,
  type EarlyRequest,
  isRead,
  noteDataRequest,
  replayEarlyRequests,
} from "./early-replay";

const LIST = LIST_PATH;
const API = "http://127.0.0.1/jmap/";
const CREDENTIALS: Credentials = { kind: "basic", username: "admin", password: "sécret ✓" };

const jmap = (...names: string[]) =>
  JSON.stringify({ using: [], methodCalls: names.map((name, i) => [name, {}, `c${i}`]) });

const LIST_READ: EarlyRequest = {
  url: API,
  method: "POST",
  headers: { accept: "application/json", "content-type": "application/json" },
  body: jmap("x:MtaTlsStrategy/query", "x:MtaTlsStrategy/get", "x:MtaOutboundStrategy/get"),
};
const ACCOUNT_READ: EarlyRequest = {
  url: "http://127.0.0.1/api/account",
  method: "GET",
  headers: { accept: "application/json" },
};

/** The request as the JMAP client sends it: its headers, with the Authorization header. */
const asSent = (request: EarlyRequest, credentials: Credentials = CREDENTIALS): RequestInit => ({
  method: request.method,
  headers: {
    "Content-Type": "application/json",
    Accept: "application/json",
    Authorization: authorizationHeader(credentials),
  },
  body: request.body,
  credentials: "omit",
});

let storage: Map<string, string>;
let sent: { url: string; init: RequestInit }[];

beforeEach(() => {
  storage = new Map();
  sent = [];
  vi.stubGlobal("sessionStorage", {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  });
  vi.stubGlobal("window", { location: { pathname: LIST, search: "" } });
  vi.stubGlobal("fetch", (input: string | URL, init: RequestInit = {}) => {
    sent.push({ url: String(input), init });
    return Promise.resolve(new Response(`{"n":${sent.length}}`));
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A record of the list's first requests, as an earlier load of `location` left it. */
function recorded(location = LIST, requests = [LIST_READ, ACCOUNT_READ]) {
  storage.set(EARLY_KEY, JSON.stringify({ location, requests }));
  storage.set(CREDENTIALS_KEY, JSON.stringify(CREDENTIALS));
}

describe("the inline script (replayEarlyRequests)", () => {
  test("sends the recorded requests of this location, with this tab's credentials", () => {
    recorded();
    replayEarlyRequests();
    expect(sent.map(({ url, init }) => [url, init.method, init.body])).toEqual([
      [API, "POST", LIST_READ.body],
      [ACCOUNT_READ.url, "GET", undefined],
    ]);
    for (const { init } of sent) {
      expect(init.credentials).toBe("omit");
      // The same header the client computes, non-ASCII password included.
      expect((init.headers as Record<string, string>).Authorization).toBe(
        authorizationHeader(CREDENTIALS),
      );
    }
    expect(window.earlyRequests).toHaveLength(2);
  });

  test("sends nothing for another location, without credentials, or without a record", () => {
    recorded(`${LIST}?q=mx`);
    replayEarlyRequests();
    recorded();
    storage.delete(CREDENTIALS_KEY);
    replayEarlyRequests();
    storage.clear();
    replayEarlyRequests();
    storage.set(EARLY_KEY, "not json");
    storage.set(CREDENTIALS_KEY, JSON.stringify(CREDENTIALS));
    replayEarlyRequests();
    expect(sent).toEqual([]);
    expect(window.earlyRequests).toBeUndefined();
  });
});

describe("adopting what the inline script sent (adoptingFetch)", () => {
  test("an identical request takes the early response, once; the next one goes out", async () => {
    recorded();
    replayEarlyRequests();
    const opening = beginOpening();
    expect(opening.isEarly).toBe(true);
    const first = await adoptingFetch(new URL(API), asSent(LIST_READ));
    expect(await first.json()).toEqual({ n: 1 });
    expect(sent).toHaveLength(2);
    const again = await adoptingFetch(new URL(API), asSent(LIST_READ));
    expect(await again.json()).toEqual({ n: 3 });
    expect(sent).toHaveLength(3);
    opening.end(true);
  });

  test("a request that differs in body, credentials or headers is sent as usual", async () => {
    recorded();
    replayEarlyRequests();
    const opening = beginOpening();
    await adoptingFetch(API, { ...asSent(LIST_READ), body: jmap("x:MtaTlsStrategy/get") });
    await adoptingFetch(API, asSent(LIST_READ, { kind: "bearer", token: "another user" }));
    await adoptingFetch(API, { ...asSent(LIST_READ), headers: { Authorization: "x" } });
    expect(sent).toHaveLength(5);
    opening.end(true);
  });

  test("once the opening has ended, an early answer is never taken (it would be old)", async () => {
    recorded();
    replayEarlyRequests();
    beginOpening().end(true);
    await adoptingFetch(API, asSent(LIST_READ));
    expect(sent).toHaveLength(3);
  });
});

describe("recording what a load sends first", () => {
  test("only reads are kept: GETs and JMAP requests of /get and /query calls", () => {
    expect(isRead(ACCOUNT_READ)).toBe(true);
    expect(isRead(LIST_READ)).toBe(true);
    expect(
      isRead({ ...LIST_READ, body: jmap("x:MtaTlsStrategy/get", "x:MtaTlsStrategy/set") }),
    ).toBe(false);
    expect(isRead({ ...LIST_READ, body: jmap("x:Action/set") })).toBe(false);
    expect(isRead({ ...LIST_READ, body: jmap() })).toBe(false);
    expect(isRead({ ...LIST_READ, body: "not json" })).toBe(false);
  });

  test("a complete opening keeps its reads, in the order sent, for the next load of its location", () => {
    window.location.search = "?q=mx";
    const opening = beginOpening();
    expect(opening.isEarly).toBe(false);
    noteDataRequest({ ...LIST_READ, headers: { Accept: "application/json" } });
    noteDataRequest({ ...LIST_READ, body: jmap("x:MtaTlsStrategy/set") });
    noteDataRequest(ACCOUNT_READ);
    opening.end(true);
    // Not recorded: no opening is in progress.
    noteDataRequest(ACCOUNT_READ);
    expect(JSON.parse(storage.get(EARLY_KEY) ?? "null")).toEqual({
      location: `${LIST}?q=mx`,
      requests: [{ ...LIST_READ, headers: { accept: "application/json" } }, ACCOUNT_READ],
    });
  });

  test("an opening whose reads failed leaves no record, and drops an older one", () => {
    recorded();
    const opening = beginOpening();
    noteDataRequest(LIST_READ);
    opening.end(false);
    expect(storage.has(EARLY_KEY)).toBe(false);
  });
});
