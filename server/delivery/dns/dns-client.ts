import { createSocket } from "node:dgram";
import { connect } from "node:net";
import * as packet from "dns-packet";
import type { DnsServer } from "../config";

/** A timeout as people read it: "10 s", "2.5 s", "800 ms". */
const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

// A DNS stub client, by hand over dns-packet: Node 20's resolver has no TLSA query and never
// shows the AD bit (shared delivery reference §4), and no kept npm package sends DO/AD/CD and
// falls back to TCP (dns-socket is UDP only, dns2 needs Node 22 and lacks TLSA, §4.1).
// Every query is bounded: per-attempt timeout, attempt count, response size, and a TC bit on
// TCP is an error, never a loop. dns-packet refuses forward compression pointers, so pointer
// loops end as "malformed" like any other bad packet.

/** Largest response read over TCP (the 2-byte length allows 65535). */
const MAX_TCP_BYTES = 65_535;
/** RFC 9210 / DNS flag day 2020: the UDP payload size to advertise. */
const UDP_PAYLOAD = 1232;

export type DnsFailureKind = "timeout" | "network" | "malformed" | "truncated" | "aborted";

export class DnsQueryError extends Error {
  constructor(
    readonly kind: DnsFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface DnsResponse {
  /** dns-packet's spelling: NOERROR, NXDOMAIN, SERVFAIL, ... */
  rcode: string;
  ad: boolean;
  answers: packet.Answer[];
  /** EDNS options of the OPT record (EDE is code 15). */
  options: { code: number; data: Buffer }[];
  server: string;
  transport: "udp" | "tcp";
}

export interface QueryOptions {
  /** CHECKING_DISABLED: ask a validating resolver for the data even when it is bogus. */
  cd?: boolean;
  /** "tcp" asks over TCP only, "udp" never falls back (the resolver capability check). */
  transport?: "auto" | "udp" | "tcp";
  signal?: AbortSignal;
}

export interface DnsClient {
  query(name: string, type: packet.RecordType, options?: QueryOptions): Promise<DnsResponse>;
  readonly servers: readonly DnsServer[];
}

function encodeQuery(id: number, name: string, type: packet.RecordType, cd: boolean): Buffer {
  return packet.encode({
    type: "query",
    id,
    flags: packet.RECURSION_DESIRED | packet.AUTHENTIC_DATA | (cd ? packet.CHECKING_DISABLED : 0),
    questions: [{ name, type, class: "IN" }],
    additionals: [
      { type: "OPT", name: ".", udpPayloadSize: UDP_PAYLOAD, flags: packet.DNSSEC_OK } as never,
    ],
  });
}

const normalize = (name: string) => (name === "." ? "." : name.replace(/\.$/, "").toLowerCase());

/** The decoded answer, or a "malformed" error; checks it answers our id and question. */
function decodeResponse(
  buffer: Buffer,
  id: number,
  name: string,
  type: packet.RecordType,
): packet.DecodedPacket | null {
  let decoded: packet.DecodedPacket;
  try {
    decoded = packet.decode(buffer);
  } catch (error) {
    throw new DnsQueryError("malformed", `malformed response: ${(error as Error).message}`);
  }
  if (packet.decode.bytes > buffer.length)
    throw new DnsQueryError("malformed", "malformed response: records run past the packet");
  const question = decoded.questions?.[0];
  const isOurs =
    decoded.id === id &&
    decoded.type === "response" &&
    (question === undefined ||
      (normalize(question.name) === normalize(name) && question.type === type));
  return isOurs ? decoded : null;
}

function toResponse(
  decoded: packet.DecodedPacket,
  server: string,
  transport: "udp" | "tcp",
): DnsResponse {
  const opt = (decoded.additionals ?? []).find((a) => a.type === "OPT") as
    | packet.OptAnswer
    | undefined;
  const options = ((opt?.options ?? []) as { code: number; data?: Buffer }[]).map((o) => ({
    code: o.code,
    data: o.data ?? Buffer.alloc(0),
  }));
  return {
    rcode: (decoded as { rcode?: string }).rcode ?? "NOERROR",
    ad: decoded.flag_ad,
    answers: decoded.answers ?? [],
    options,
    server,
    transport,
  };
}

/** Runs `start` with a timer and the caller's signal; `cleanup` always runs once. */
function bounded<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void, reject: (error: Error) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(new DnsQueryError("aborted", "aborted"));
    let cleanup = () => {};
    let isSettled = false;
    const finish = (action: () => void) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      cleanup();
      action();
    };
    const onAbort = () => finish(() => reject(new DnsQueryError("aborted", "aborted")));
    const timer = setTimeout(
      () =>
        finish(() => reject(new DnsQueryError("timeout", `timed out after ${seconds(timeoutMs)}`))),
      timeoutMs,
    );
    timer.unref();
    signal?.addEventListener("abort", onAbort, { once: true });
    cleanup = start(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
  });
}

/** Whether two written IP addresses are one (`::ffff:127.0.0.1` is `127.0.0.1`). */
function sameAddress(a: string, b: string): boolean {
  const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.)/i, "").toLowerCase();
  return plain(a) === plain(b);
}

function queryUdp(
  server: DnsServer,
  query: Buffer,
  check: (buffer: Buffer) => packet.DecodedPacket | null,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<packet.DecodedPacket> {
  return bounded(timeoutMs, signal, (resolve, reject) => {
    const socket = createSocket(server.host.includes(":") ? "udp6" : "udp4");
    socket.on("error", (error) => reject(new DnsQueryError("network", error.message)));
    socket.on("message", (message, from) => {
      // Only the server asked may answer: a datagram from elsewhere is ignored (RFC 5452 §9.1).
      if (from.port !== server.port || !sameAddress(from.address, server.host)) return;
      try {
        const decoded = check(message);
        if (decoded) resolve(decoded); // else: a stray datagram, keep waiting (timer bounds it)
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.send(query, server.port, server.host, (error) => {
      if (error) reject(new DnsQueryError("network", error.message));
    });
    return () => socket.close();
  });
}

function queryTcp(
  server: DnsServer,
  query: Buffer,
  check: (buffer: Buffer) => packet.DecodedPacket | null,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<packet.DecodedPacket> {
  return bounded(timeoutMs, signal, (resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    socket.on("error", (error) => reject(new DnsQueryError("network", error.message)));
    socket.on("connect", () => {
      const framed = Buffer.alloc(2 + query.length);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.write(framed);
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > MAX_TCP_BYTES + 2) {
        reject(new DnsQueryError("malformed", "response over TCP larger than 65535 bytes"));
        return;
      }
      if (received.length < 2) return;
      const length = received.readUInt16BE(0);
      if (received.length < 2 + length) return;
      try {
        const decoded = check(received.subarray(2, 2 + length));
        if (!decoded) reject(new DnsQueryError("malformed", "TCP answer to another question"));
        else resolve(decoded);
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.on("end", () => reject(new DnsQueryError("network", "connection closed early")));
    return () => socket.destroy();
  });
}

/**
 * A DNS client for `servers`, tried in order, `attempts` times each. Each attempt sends over
 * UDP with RD+AD, an OPT record with DO and payload 1232; a TC answer or a UDP failure is
 * retried over TCP (2-byte framing) within the same `timeoutMs` budget per transport.
 * `query()` resolves with the first answer of any rcode; it rejects with DnsQueryError:
 * "timeout", "network", "malformed" (bad packet, compression loop, oversized), "truncated" (TC
 * set over TCP) or "aborted" (the signal fired). Source: shared delivery reference §4.2.
 */
export function createDnsClient(
  servers: readonly DnsServer[],
  timeoutMs: number,
  attempts: number,
): DnsClient {
  async function once(
    server: DnsServer,
    name: string,
    type: packet.RecordType,
    options: QueryOptions,
  ): Promise<DnsResponse> {
    const id = Math.floor(Math.random() * 65_536);
    const query = encodeQuery(id, name, type, options.cd === true);
    const check = (buffer: Buffer) => decodeResponse(buffer, id, name, type);
    const label = `${server.host}:${server.port}`;
    const transport = options.transport ?? "auto";
    if (transport !== "tcp") {
      try {
        const decoded = await queryUdp(server, query, check, timeoutMs, options.signal);
        if (!decoded.flag_tc) return toResponse(decoded, label, "udp");
        if (transport === "udp") throw new DnsQueryError("truncated", "truncated over UDP");
      } catch (error) {
        if (transport === "udp" || (error as DnsQueryError).kind === "aborted") throw error;
      }
    }
    const decoded = await queryTcp(server, query, check, timeoutMs, options.signal);
    if (decoded.flag_tc) throw new DnsQueryError("truncated", `truncated over TCP from ${label}`);
    return toResponse(decoded, label, "tcp");
  }

  return {
    servers,
    async query(name, type, options = {}) {
      let lastError: unknown = new DnsQueryError("network", "no DNS server configured");
      for (let attempt = 0; attempt < Math.max(1, attempts); attempt++) {
        for (const server of servers) {
          try {
            return await once(server, name, type, options);
          } catch (error) {
            lastError = error;
            if ((error as DnsQueryError).kind === "aborted") throw error;
          }
        }
      }
      throw lastError;
    },
  };
}

/** RFC 8914 EDE options (code 15) of a response: INFO-CODE and EXTRA-TEXT. */
export function extendedErrors(response: DnsResponse): { code: number; text: string }[] {
  return response.options
    .filter((option) => option.code === 15 && option.data.length >= 2)
    .map((option) => ({
      code: option.data.readUInt16BE(0),
      text: option.data.subarray(2, 2 + 256).toString("utf8"),
    }));
}
