import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { TransportError, UnauthorizedError } from "../../../jmap/errors";
import { ProbeBusyError, ProbeTargetError } from "../probe-client";
import {
  fetchLiveToken,
  LIVE_STREAM_PATH,
  LIVE_TOKEN_PATH,
  LiveForbiddenError,
  runLiveTest,
} from "./client";
import type { LiveEvent } from "./events";

// The live-test client against a real HTTP server on 127.0.0.1 that each test starts and
// stops: the token, then frames as Stalwart writes them (shared delivery reference §3.1),
// split anywhere, with a bad one, an unknown type, refusals and Stop.

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A server that gives the token "t0k" (or runs `token`) and streams with `stream`. */
async function serve(stream: Handler, token?: Handler) {
  const listening = createServer((request, response) => {
    if (request.url === LIVE_TOKEN_PATH) {
      if (token) return token(request, response);
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      return response.end("t0k");
    }
    stream(request, response);
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

const frame = (event: object) => `event: event\ndata: [${JSON.stringify(event)}]\n\n`;
const sse = (response: ServerResponse) =>
  response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });

async function run(origin: string, signal?: AbortSignal) {
  const events: LiveEvent[] = [];
  const invalid: string[] = [];
  const isCompleted = await runLiveTest({
    target: "user@bücher.example",
    timeoutSeconds: 5,
    authorization: "Basic YTpi",
    origin,
    signal,
    onEvent: (event) => events.push(event),
    onInvalidEvent: (message) => invalid.push(message),
  });
  return { events, invalid, isCompleted };
}

test("the token, then frames split across chunks, read in order to `completed`", async () => {
  const seen: IncomingMessage[] = [];
  const text = [
    frame({ type: "mxLookupStart", domain: "bücher.example" }),
    frame({
      type: "mxLookupSuccess",
      mxs: [{ exchanges: ["mx.bücher.example."], preference: 10 }],
      elapsed: 3,
    }),
    ": a comment line\r\n\r\n",
    frame({
      type: "mtaStsFetchSuccess",
      policy: { id: "1", mode: "enforce", mx: [{ startsWith: "example" }], max_age: 86400 },
      elapsed: 9,
    }),
    frame({ type: "completed" }),
  ].join("");
  const bytes = Buffer.from(text);
  let isClosed = false;
  const origin = await serve(
    async (request, response) => {
      seen.push(request);
      sse(response);
      // Three bytes at a time: every frame and the ü are cut somewhere.
      for (let i = 0; i < bytes.length; i += 3) response.write(bytes.subarray(i, i + 3));
      // The connection stays open after `completed`: the client stops reading there.
      response.on("close", () => {
        isClosed = true;
      });
    },
    (request, response) => {
      seen.push(request);
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("t0k\n");
    },
  );
  const { events, invalid, isCompleted } = await run(origin);
  expect(seen[0]?.headers.authorization).toBe("Basic YTpi");
  expect(seen[1]?.url).toBe(`${LIVE_STREAM_PATH}user%40b%C3%BCcher.example?token=t0k&timeout=5`);
  expect(seen[1]?.headers.authorization).toBeUndefined();
  expect(events.map((event) => event.type)).toEqual([
    "mxLookupStart",
    "mxLookupSuccess",
    "mtaStsFetchSuccess",
    "completed",
  ]);
  expect(events[1]).toEqual({
    type: "mxLookupSuccess",
    mxs: [{ exchanges: ["mx.bücher.example."], preference: 10 }],
    elapsed: 3,
  });
  expect(invalid).toEqual([]);
  expect(isCompleted).toBe(true);
  await expect.poll(() => isClosed).toBe(true);
});

test("a bad frame is reported and skipped; an unknown type is kept as `other`", async () => {
  const origin = await serve((_, response) => {
    sse(response);
    response.write(frame({ type: "connectionStart", remoteIp: "192.0.2.1" }));
    response.write(frame({ type: "connectionError", elapsed: "soon", reason: "x" }));
    response.write("event: event\ndata: [{not json\n\n");
    response.write(`data: ["${"x".repeat(1.5 * 2 ** 20)}"]\n\n`);
    response.write(frame({ type: "quantumHandshake", qubits: 3 }));
    response.write(frame({ type: "connectionSuccess", elapsed: 4 }));
    // No `completed`: the stream just ends.
    response.end();
  });
  const { events, invalid, isCompleted } = await run(origin);
  expect(events).toEqual([
    { type: "connectionStart", remoteIp: "192.0.2.1" },
    { type: "other", name: "quantumHandshake", raw: { type: "quantumHandshake", qubits: 3 } },
    { type: "connectionSuccess", elapsed: 4 },
  ]);
  expect(invalid).toHaveLength(3);
  expect(invalid[0]).toMatch(/type “connectionError” was not understood at elapsed/);
  expect(invalid[1]).toMatch(/not JSON/);
  expect(invalid[2]).toMatch(/over 1048576 bytes/);
  expect(isCompleted).toBe(false);
});

test.each([
  [401, UnauthorizedError, /credentials|sign/i],
  [403, LiveForbiddenError, /liveDeliveryTest/],
  [500, TransportError, /answered 500/],
])("a %i for the token is a typed error", async (status, type, message) => {
  const origin = await serve(
    () => {
      throw new Error("no stream without a token");
    },
    (_, response) => {
      response.writeHead(status, { "Content-Type": "application/problem+json" });
      response.end(
        JSON.stringify({ type: "about:blank", status, title: "Refused", detail: "Not yours." }),
      );
    },
  );
  const error = await fetchLiveToken({ authorization: "Bearer k", origin }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
});

test.each([
  [400, ProbeTargetError, /IP addresses/],
  [401, UnauthorizedError, /./],
  [429, ProbeBusyError, /At most 2/],
])("a %i for the stream is a typed error", async (status, type, message) => {
  const origin = await serve((_, response) => {
    response.writeHead(status, {
      "Content-Type": "application/problem+json",
      "Retry-After": "3",
    });
    const detail = status === 400 ? "IP addresses cannot be tested." : "At most 2 tests run.";
    response.end(JSON.stringify({ type: "about:blank", status, title: "Refused", detail }));
  });
  const error = await run(origin).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  if (status === 429) expect((error as ProbeBusyError).retryAfterSeconds).toBe(3);
});

test.each([
  ["plain text", "t0k\r\n", "t0k"],
  ["Stalwart's JSON envelope", '{"data":"t0k"}', "t0k"],
])("the token as %s", async (_, body, token) => {
  const origin = await serve(
    () => undefined,
    (_, response) => {
      response.writeHead(200);
      response.end(body);
    },
  );
  expect(await fetchLiveToken({ authorization: "Bearer k", origin })).toBe(token);
});

test("an empty token is a TransportError, not a request with `token=`", async () => {
  const origin = await serve(
    () => undefined,
    (_, response) => {
      response.writeHead(200);
      response.end("{}");
    },
  );
  await expect(fetchLiveToken({ authorization: "Bearer k", origin })).rejects.toBeInstanceOf(
    TransportError,
  );
});

test("Stop aborts the stream and the server sees the connection close", async () => {
  let closed!: () => void;
  const isClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const origin = await serve((_, response) => {
    sse(response);
    response.write(frame({ type: "mxLookupStart", domain: "example.com" }));
    response.on("close", closed);
  });
  const controller = new AbortController();
  const events: LiveEvent[] = [];
  const running = runLiveTest({
    target: "example.com",
    authorization: "Bearer k",
    origin,
    signal: controller.signal,
    onEvent: (event) => {
      events.push(event);
      controller.abort();
    },
  });
  await expect(running).rejects.toMatchObject({ name: "AbortError" });
  await isClosed;
  expect(events).toHaveLength(1);
});
