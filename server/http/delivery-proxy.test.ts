import { createServer } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PROBE_PATH } from "../../src/stalwart/delivery/frames";
import { createApp } from "../app";
import { startTestWorld, type TestWorld } from "../delivery/test-world/world";
import { ORIGIN } from "../test-support";

// The page's probe endpoint in proxy mode (STALWART_URL): the page's server probes from its
// own network, after asking the real Stalwart (here a small node:http server on 127.0.0.1
// standing in for it) who the caller is and whether they hold liveDeliveryTest.

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld("stories");
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

const probeUrl = (target: string) => `${ORIGIN}${PROBE_PATH}?target=${encodeURIComponent(target)}`;

/** The lines of an NDJSON body as JSON. */
async function linesOf(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("proxy mode (STALWART_URL): Stalwart says who may test", () => {
  const GOOD = "Basic Z29vZA==";
  const NO_PERMISSION = "Basic bm9wZXJt";
  const STALWART_401 = {
    type: "about:blank",
    status: 401,
    title: "Unauthorized",
    detail: "You have to authenticate first.",
  };
  let seen: { path: string; authorization?: string; forwardedFor?: string }[] = [];
  let upstream: ReturnType<typeof createServer>;
  let upstreamUrl = "";
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push({
        path: req.url ?? "",
        authorization: req.headers.authorization,
        forwardedFor: req.headers["x-forwarded-for"] as string | undefined,
      });
      const json = (status: number, body: unknown, headers: Record<string, string[]> = {}) =>
        res
          .writeHead(status, { "Content-Type": "application/json", ...headers })
          .end(JSON.stringify(body));
      if (req.url !== "/api/account") return json(200, { proxied: req.url });
      if (req.headers.authorization === GOOD)
        return json(200, { permissions: ["liveDeliveryTest"], edition: "oss", locale: "en" });
      if (req.headers.authorization === NO_PERMISSION)
        return json(200, { permissions: ["sysMtaTlsStrategyGet"], edition: "oss", locale: "en" });
      json(401, STALWART_401, {
        "WWW-Authenticate": ['Bearer realm="Stalwart Server"', 'Basic realm="Stalwart Server"'],
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => upstream.close(resolve));
  });
  const proxyApp = (to = upstreamUrl) =>
    createApp({
      upstream: to,
      isAllowedHost: () => true,
      clientAddress: () => "203.0.113.9",
      probe: world.config(),
    });
  const ask = (authorization?: string, to?: string) =>
    proxyApp(to).request(probeUrl("pki.test"), {
      headers: authorization ? { Authorization: authorization } : {},
    });

  test("no credentials: 401 without asking Stalwart", async () => {
    seen = [];
    const response = await ask();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(STALWART_401);
    expect(seen).toEqual([]);
  });

  test("credentials Stalwart refuses: its 401 and challenges, passed on", async () => {
    seen = [];
    const response = await ask("Basic d3Jvbmc=");
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await response.json()).toEqual(STALWART_401);
    expect(response.headers.get("WWW-Authenticate")).toBe(
      'Bearer realm="Stalwart Server", Basic realm="Stalwart Server"',
    );
    expect(seen).toEqual([
      { path: "/api/account", authorization: "Basic d3Jvbmc=", forwardedFor: "203.0.113.9" },
    ]);
  });

  test("an account without liveDeliveryTest: 403", async () => {
    const response = await ask(NO_PERMISSION);
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toBe(
      "Testing a destination needs the liveDeliveryTest permission.",
    );
  });

  test("an account with it: the page's server probes, says it is not the mail server", async () => {
    seen = [];
    const response = await ask(GOOD);
    expect(response.status).toBe(200);
    const lines = await linesOf(response);
    expect(lines[0]).toMatchObject({ type: "start", facts: { source: { collectedBy: "proxy" } } });
    expect(lines.at(-1)).toMatchObject({ type: "done", status: "complete" });
    // Stalwart was asked who the caller is, and nothing else: the probe is not forwarded.
    expect(seen.map((s) => [s.path, s.authorization])).toEqual([["/api/account", GOOD]]);
  });

  test("Stalwart's own live test paths still go to Stalwart", async () => {
    seen = [];
    const app = proxyApp();
    const token = await app.request(`${ORIGIN}/api/token/delivery`, {
      headers: { Authorization: GOOD },
    });
    expect(await token.json()).toEqual({ proxied: "/api/token/delivery" });
    const live = await app.request(`${ORIGIN}/api/live/delivery/pki.test?token=t`);
    expect(await live.json()).toEqual({ proxied: "/api/live/delivery/pki.test?token=t" });
  });

  test("a Stalwart that cannot be reached: 502, no probe", async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const response = await ask(GOOD, `http://127.0.0.1:${port}`);
    expect(response.status).toBe(502);
    expect((await response.json()).detail).toMatch(/^Could not ask the Stalwart server at/);
  });
});
