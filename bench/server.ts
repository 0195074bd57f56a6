import { readdir } from "node:fs/promises";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApp } from "../server/app";
import { nodeListener } from "../server/node-listener";
import { DEFAULTS } from "../server/objects/tls-strategy";
import type { Store } from "../server/store";
import { LIST_PATH } from "../src/paths";
import { readIfThere } from "./build";

// 2. A server that counts: the production build and the embedded server on 127.0.0.1, with a
// log of every request it receives; and 3. the assets as that server sends them.

/** One request as the server saw it (or the browser, for round trips), ms. */
export interface Logged {
  method: string;
  path: string;
  start: number;
  end: number;
}

/** A server of the build in `clientDir` and `store` on a free port, that logs each request. */
export async function startServer(store: Store, clientDir: string) {
  const log: Logged[] = [];
  const listener = nodeListener(createApp({ store, staticDir: clientDir }));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry = {
      method: req.method ?? "",
      path: req.url ?? "",
      start: performance.now(),
      end: 0,
    };
    log.push(entry);
    res.on("finish", () => {
      entry.end = performance.now();
    });
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise((r) => {
        server.close(r);
        // Idle keep-alive connections of a browser would hold close() open.
        server.closeAllConnections();
      }),
  };
}

export type Running = Awaited<ReturnType<typeof startServer>>;

/**
 * Makes `store` hold `count` strategies: the two shipped ones by name for 2, else
 * strategy-00000, strategy-00001, …
 */
export async function seed(store: Store, count: number) {
  await store.transaction(({ strategies }, newId) => {
    for (const existing of [...strategies.keys()]) strategies.delete(existing);
    for (let i = 0; i < count; i += 1) {
      const id = newId();
      strategies.set(id, {
        id,
        name:
          count === 2
            ? i === 0
              ? "invalid-tls"
              : "default"
            : `strategy-${String(i).padStart(5, "0")}`,
        ...DEFAULTS,
        description: `Strategy number ${i}`,
      });
    }
  });
}

export const isApi = (path: string) => /^\/(\.well-known\/|jmap|api)/.test(path);

/** The longest chain of API requests where each starts only after the one before it ended. */
export function sequentialRoundTrips(requests: Logged[]): number {
  const api = requests.filter((r) => isApi(r.path)).sort((a, b) => a.start - b.start);
  const depth = new Map<Logged, number>();
  for (const request of api) {
    const before = api.filter(
      (other) => other !== request && other.end > 0 && other.end <= request.start,
    );
    depth.set(request, 1 + Math.max(0, ...before.map((other) => depth.get(other) ?? 0)));
  }
  return Math.max(0, ...depth.values());
}

/** Waits until the server has seen no new request for `quietMs` (at most 15 s). */
export async function settle(log: Logged[], quietMs: number) {
  const deadline = Date.now() + 15_000;
  let seen = log.length;
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < quietMs) {
    await new Promise((r) => setTimeout(r, 100));
    if (log.length !== seen) {
      seen = log.length;
      quietSince = Date.now();
    }
  }
}

/** One GET with `Accept-Encoding: encoding`; the body as it came over the wire (not decoded). */
function rawGet(url: string, encoding: string) {
  return new Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest(url, { headers: { "Accept-Encoding": encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error(`${url}: no answer in 10 s`)));
      req.end();
    },
  );
}

/**
 * Every JS, CSS and SVG asset asked for with `Accept-Encoding: br` (and then `gzip`): whether
 * the answer says `Content-Encoding: br` and carries exactly the bytes of the .br file the
 * build wrote (else the server compressed it again, or not at all), with a `Cache-Control`
 * that says `immutable`. And index.html, as the server sends it to a browser accepting both.
 */
export async function precompressedAssets(store: Store, clientDir: string) {
  const server = await startServer(store, clientDir);
  try {
    const files = (await readdir(join(clientDir, "assets"))).filter((f) =>
      /\.(js|css|svg)$/.test(f),
    );
    const assets = [];
    for (const file of files) {
      const path = join(clientDir, "assets", file);
      const [br, gz] = await Promise.all([readIfThere(`${path}.br`), readIfThere(`${path}.gz`)]);
      const asBrotli = await rawGet(`${server.origin}/assets/${file}`, "br");
      const asGzip = await rawGet(`${server.origin}/assets/${file}`, "gzip");
      assets.push({
        file: `assets/${file}`,
        status: asBrotli.status,
        contentEncoding: asBrotli.headers["content-encoding"] ?? null,
        cacheControl: asBrotli.headers["cache-control"] ?? null,
        bytesOfBrFile: br !== null && asBrotli.body.equals(br),
        gzipBytesOfGzFile:
          gz !== null && asGzip.headers["content-encoding"] === "gzip" && asGzip.body.equals(gz),
      });
    }
    const index = await rawGet(`${server.origin}${LIST_PATH}`, "br, gzip");
    return {
      assets,
      /** Every asset: br, the .br file's bytes, immutable. */
      isPrecompressed:
        assets.length > 0 &&
        assets.every(
          (a) =>
            a.status === 200 &&
            a.contentEncoding === "br" &&
            a.bytesOfBrFile &&
            (a.cacheControl ?? "").includes("immutable"),
        ),
      indexHtml: {
        bytesOverTheWire: index.body.length,
        contentEncoding: index.headers["content-encoding"] ?? null,
      },
    };
  } finally {
    await server.close();
  }
}
