import { createServer, request as httpRequest } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import type { Hono } from "hono";
import type { Invocation } from "../src/jmap/protocol";
import { createApp } from "./app";
import type { UserDeclaration } from "./auth";
import type { TestWorld } from "./delivery/test-world/world";
import { serveApp } from "./node-listener";
import { openStore } from "./store";

// Shared by the server's unit tests: an in-memory server called without a port.

export const USING = ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"];
export const ORIGIN = "http://mail.test";
export const ADMIN_PASSWORD = "admin-secret";

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
export const ADMIN = basic("admin", ADMIN_PASSWORD);

/** A server on `dataDir` (null: in memory) with `users` besides admin. */
export async function testServer(users: UserDeclaration[] = [], dataDir: string | null = null) {
  const { store } = await openStore({ dataDir, adminPassword: ADMIN_PASSWORD, users });
  const app = createApp({ store, publicUrl: ORIGIN });
  const post = (body: unknown, authorization = ADMIN, headers: Record<string, string> = {}) =>
    app.request(`${ORIGIN}/jmap/`, {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  /** Runs method calls and returns their responses. */
  const call = async (methodCalls: Invocation[], authorization = ADMIN): Promise<Invocation[]> => {
    const response = await post({ using: USING, methodCalls }, authorization);
    if (response.status !== 200)
      throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { methodResponses: Invocation[] }).methodResponses;
  };
  /** Runs one call and returns its arguments (or the error's). */
  const one = async (name: string, args: Record<string, unknown>, authorization = ADMIN) => {
    const [response] = await call([[name, args, "c"]], authorization);
    if (!response) throw new Error("no response");
    return { name: response[0], args: response[1] as Record<string, unknown> };
  };
  const create = async (strategy: Record<string, unknown>): Promise<string> => {
    const { args } = await one("x:MtaTlsStrategy/set", { create: { n: strategy } });
    const created = args.created as Record<string, { id: string }> | undefined;
    if (!created?.n) throw new Error(`not created: ${JSON.stringify(args)}`);
    return created.n.id;
  };
  return { app, store, post, call, one, create };
}

/**
 * The domain the "client goes away" tests probe: `watched.test`, one MX host whose SMTP server
 * afterTheClientGoesAway() runs itself (no host in the world). Add it to the world's domains,
 * then call watchAt(world, address) for the MX host's address.
 */
export const WATCHED_DOMAIN = {
  name: "watched.test",
  mx: [{ preference: 10, host: "mx.watched.test" }],
  hosts: [],
};

/** Points `mx.watched.test` at `address` (a loopback address of the calling test's own). */
export function watchAt(world: { dns: TestWorld["dns"] }, address: string) {
  world.dns.set("mx.watched.test", "A", {
    answers: [{ type: "A", name: "mx.watched.test", ttl: 60, data: address }],
  });
}

/**
 * The "client goes away" harness of both test endpoints (the page's probe, Stalwart's live
 * test): serves `app` on a free port of 127.0.0.1 and a silent SMTP host on
 * `host.address:host.port`, sends `GET path` with `headers`, and, once the test has connected
 * to that host, drops the request. Resolves with the ms from the drop to the host's socket
 * closing (Infinity when it never closed within 2 s) and how many of the host's sockets
 * closed, after `whileServing(port)` ran against the same server. Rejects when no answer
 * came, or the test never connected, within 5 s. Closes everything.
 */
export async function afterTheClientGoesAway(
  app: Hono,
  host: { address: string; port: number },
  request: { path: string; headers?: Record<string, string> },
  whileServing: (port: number) => Promise<void> = async () => {},
): Promise<{ msToClose: number; closed: number }> {
  const connections: Socket[] = [];
  const closed: number[] = [];
  const smtp = createNetServer((socket) => {
    connections.push(socket);
    socket.on("close", () => closed.push(performance.now()));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => smtp.listen(host.port, host.address, resolve));
  const server = serveApp(createServer(), app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const gone = await new Promise<number>((resolve, reject) => {
      let wait: ReturnType<typeof setInterval> | undefined;
      const limit = setTimeout(() => {
        clearInterval(wait);
        req.destroy();
        reject(new Error("the test never connected"));
      }, 5_000);
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        path: request.path,
        headers: request.headers,
      });
      req.on("error", () => {});
      req.on("response", (res) => {
        res.on("data", () => {});
        wait = setInterval(() => {
          if (connections.length === 0) return;
          clearInterval(wait);
          clearTimeout(limit);
          res.destroy();
          req.destroy();
          resolve(performance.now());
        }, 10);
      });
      req.end();
    });
    const deadline = performance.now() + 2_000;
    while (closed.length === 0 && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await whileServing(port);
    return { msToClose: (closed[0] ?? Number.POSITIVE_INFINITY) - gone, closed: closed.length };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => smtp.close(resolve));
  }
}
