import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { TransportError, UnauthorizedError } from "../../jmap/errors";
import type { DeliveryFacts } from "./facts";
import { applyFrame, type DeliveryFrame, PROBE_PATH } from "./frames";
import {
  ProbeBusyError,
  ProbeForbiddenError,
  ProbeTargetError,
  probeDelivery,
  readLines,
} from "./probe-client";
import { TEST_SOURCE } from "./test-source";

// The stream client against a real HTTP server on 127.0.0.1 that the test starts and stops:
// lines split anywhere (inside a UTF-8 character too), frames that fail, lines too long, the
// problem+json refusals, and Stop.

const start: DeliveryFacts = {
  target: { input: "bücher.example", domain: "xn--bcher-kva.example" },
  collectedAt: "2026-01-01T00:00:00.000Z",
  source: TEST_SOURCE,
  hosts: [],
  status: "collecting",
};

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const listening = createServer(handler);
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

const ndjson = (response: ServerResponse) =>
  response.writeHead(200, { "Content-Type": "application/x-ndjson; charset=utf-8" });

async function run(origin: string, signal?: AbortSignal) {
  const frames: DeliveryFrame[] = [];
  const invalid: string[] = [];
  const isDone = await probeDelivery({
    target: "user@bücher.example",
    timeoutSeconds: 5,
    authorization: "Basic YTpi",
    origin,
    signal,
    onFrame: (frame) => frames.push(frame),
    onInvalidFrame: (message) => invalid.push(message),
  });
  return { frames, invalid, isDone };
}

test("frames split across chunks are read in order, with the request as the contract says", async () => {
  let seen: IncomingMessage | undefined;
  const text = [
    JSON.stringify({ type: "start", facts: start }),
    JSON.stringify({ type: "step", text: "Looking up MX for bücher.example" }),
    JSON.stringify({ type: "done", status: "complete", elapsedMs: 12 }),
  ].join("\n");
  const bytes = Buffer.from(`${text}\n`);
  const origin = await serve(async (request, response) => {
    seen = request;
    ndjson(response);
    // Three bytes at a time: every line and the ü are cut somewhere.
    for (let i = 0; i < bytes.length; i += 3) {
      response.write(bytes.subarray(i, i + 3));
      if (i % 300 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    response.end();
  });
  const { frames, invalid, isDone } = await run(origin);
  expect(seen?.url).toBe(`${PROBE_PATH}?target=user%40b%C3%BCcher.example&timeout=5`);
  expect(seen?.headers.authorization).toBe("Basic YTpi");
  expect(frames.map((frame) => frame.type)).toEqual(["start", "step", "done"]);
  expect(frames[1]).toEqual({ type: "step", text: "Looking up MX for bücher.example" });
  expect(invalid).toEqual([]);
  expect(isDone).toBe(true);
  const facts = frames.slice(1).reduce(applyFrame, start);
  expect(facts.status).toBe("complete");
});

test("a frame that fails the schema, bad JSON or an over-long line is reported and skipped", async () => {
  const origin = await serve((_, response) => {
    ndjson(response);
    response.write(`${JSON.stringify({ type: "start", facts: start })}\n`);
    response.write(`${JSON.stringify({ type: "mx", mx: { outcome: "records" } })}\n`);
    response.write("{not json\n\n");
    response.write(`{"type":"step","text":"${"x".repeat(1.5 * 2 ** 20)}"}\n`);
    // The last line has no newline: it is read all the same.
    response.end(JSON.stringify({ type: "step", text: "still here" }));
  });
  const { frames, invalid, isDone } = await run(origin);
  expect(frames).toEqual([
    { type: "start", facts: start },
    { type: "step", text: "still here" },
  ]);
  expect(invalid).toHaveLength(3);
  expect(invalid[0]).toMatch(/type “mx” was not understood at mx\./);
  expect(invalid[1]).toMatch(/not JSON/);
  expect(invalid[2]).toMatch(/not JSON: <a line over 1048576 bytes>/);
  expect(isDone).toBe(false);
});

test.each([
  [
    400,
    { detail: "IP addresses cannot be tested: enter the domain that receives the mail." },
    ProbeTargetError,
    /IP addresses/,
  ],
  [401, {}, UnauthorizedError, /credentials/],
  [
    403,
    { detail: "Testing a destination needs the liveDeliveryTest permission." },
    ProbeForbiddenError,
    /liveDeliveryTest/,
  ],
  [429, { detail: "At most 2 tests run at once." }, ProbeBusyError, /At most 2/],
  [502, {}, TransportError, /answered 502/],
])("a %i before the stream is a typed error", async (status, problem, type, message) => {
  const origin = await serve((_, response) => {
    response.writeHead(status, {
      "Content-Type": "application/problem+json",
      ...(status === 429 ? { "Retry-After": "7" } : {}),
    });
    response.end(JSON.stringify({ type: "about:blank", status, title: "Refused", ...problem }));
  });
  const error = await run(origin).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  if (status === 429) expect((error as ProbeBusyError).retryAfterSeconds).toBe(7);
});

test("Stop aborts the request and the server sees the connection close", async () => {
  let closed!: () => void;
  const isClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const origin = await serve((_, response) => {
    ndjson(response);
    response.write(`${JSON.stringify({ type: "start", facts: start })}\n`);
    response.on("close", closed);
  });
  const controller = new AbortController();
  const frames: DeliveryFrame[] = [];
  const running = probeDelivery({
    target: "example.com",
    authorization: "Bearer k",
    origin,
    signal: controller.signal,
    onFrame: (frame) => {
      frames.push(frame);
      controller.abort();
    },
  });
  await expect(running).rejects.toMatchObject({ name: "AbortError" });
  await isClosed;
  expect(frames).toHaveLength(1);
});

test("readLines bounds a line without a newline that never ends", async () => {
  const lines: string[] = [];
  const chunks = Array.from({ length: 50 }, () => new Uint8Array(1000).fill(120));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  await readLines(body, 10_000, (line) => lines.push(line));
  expect(lines).toEqual(["<a line over 10000 bytes>"]);
});
