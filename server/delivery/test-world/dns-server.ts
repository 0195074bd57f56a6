import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import * as packet from "dns-packet";

// A hand-written authoritative-and-"validating" DNS server for the loopback world (shared
// delivery reference §5.2): a zone map (name, type) → answer with the AD bit, rcode, TC,
// delay and EDE the test wants, over UDP and TCP on one port. dns2 needs Node 22 and has no
// TLSA (§4.1), so dns-packet + dgram + net it is. Bogus data is emulated as a validating
// resolver shows it: SERVFAIL + EDE 6 when CD=0, the data with AD=0 when CD=1.

export interface ZoneEntry {
  rcode?: "NOERROR" | "NXDOMAIN" | "SERVFAIL" | "REFUSED";
  answers?: packet.Answer[];
  /** The AD bit on the answer (a validating resolver vouching for it). */
  ad?: boolean;
  /** Set TC over UDP (answers only over TCP); `"always"` sets it over TCP too (hostile). */
  tc?: boolean | "always";
  delayMs?: number;
  /** RFC 8914 EDE INFO-CODE (and text) to attach. */
  ede?: { code: number; text?: string };
  /** Emulate DNSSEC-bogus data: SERVFAIL + EDE 6 unless the query sets CD. */
  bogus?: boolean;
  /** Hostile: these bytes instead of an answer (the query id is written into bytes 0-1). */
  raw?: Buffer;
  /** Hostile: never answer. */
  silent?: boolean;
}

export interface DnsServerOptions {
  /** Refuse TCP (the "no TCP, so DANE disabled" check of §4.3). */
  udpOnly?: boolean;
  host?: string;
}

export interface TestDnsServer {
  host: string;
  port: number;
  /** "host:port", as DNS_SERVERS takes it. */
  address: string;
  set(name: string, type: string, entry: ZoneEntry): void;
  /** How many queries arrived, per transport (to check the TCP fallback). */
  counts: { udp: number; tcp: number };
  stop(): Promise<void>;
}

const key = (name: string, type: string) => `${name.replace(/\.$/, "").toLowerCase()}|${type}`;

function edeOption(code: number, text = "") {
  const data = Buffer.alloc(2 + Buffer.byteLength(text));
  data.writeUInt16BE(code, 0);
  data.write(text, 2);
  return { code: 15, data };
}

/** Starts a DNS server on `host` (127.0.0.1) at an ephemeral port free for UDP and TCP. */
export async function startDnsServer(
  zone: Map<string, ZoneEntry>,
  options: DnsServerOptions = {},
): Promise<TestDnsServer> {
  const host = options.host ?? "127.0.0.1";
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sockets = new Set<Socket>();
  const counts = { udp: 0, tcp: 0 };
  const names = () => new Set([...zone.keys()].map((k) => k.split("|")[0]));

  function answer(query: packet.DecodedPacket, transport: "udp" | "tcp"): Buffer | null {
    const question = query.questions?.[0];
    if (!question) return null;
    const entry = zone.get(key(question.name, question.type));
    const cd = query.flag_cd;
    if (entry?.silent) return null;
    if (entry?.raw) {
      const raw = Buffer.from(entry.raw);
      if (raw.length >= 2) raw.writeUInt16BE(query.id ?? 0, 0);
      return raw;
    }
    const exists = names().has(question.name.replace(/\.$/, "").toLowerCase());
    const isBogus = entry?.bogus === true && !cd;
    const rcode = isBogus
      ? "SERVFAIL"
      : (entry?.rcode ?? (entry || exists ? "NOERROR" : "NXDOMAIN"));
    const isTc = entry?.tc === "always" || (entry?.tc === true && transport === "udp");
    const isAd = !isBogus && !entry?.bogus && (entry?.ad ?? false);
    const rcodeBits = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[rcode];
    const ede = isBogus ? { code: 6, text: "DNSSEC Bogus" } : entry?.ede;
    return packet.encode({
      type: "response",
      id: query.id ?? 0,
      flags:
        packet.RECURSION_DESIRED |
        packet.RECURSION_AVAILABLE |
        (isAd ? packet.AUTHENTIC_DATA : 0) |
        (cd ? packet.CHECKING_DISABLED : 0) |
        (isTc ? packet.TRUNCATED_RESPONSE : 0) |
        rcodeBits,
      questions: [question],
      answers: rcode === "NOERROR" && !isTc ? (entry?.answers ?? []) : [],
      additionals: [
        {
          type: "OPT",
          name: ".",
          udpPayloadSize: 1232,
          flags: packet.DNSSEC_OK,
          options: ede ? [edeOption(ede.code, ede.text)] : [],
        } as never,
      ],
    });
  }

  function respond(message: Buffer, transport: "udp" | "tcp", send: (reply: Buffer) => void) {
    let query: packet.DecodedPacket;
    try {
      query = packet.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    const entry = question ? zone.get(key(question.name, question.type)) : undefined;
    const reply = answer(query, transport);
    if (!reply) return;
    if (!entry?.delayMs) return send(reply);
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(reply);
    }, entry.delayMs);
    timers.add(timer);
  }

  for (let attempt = 0; attempt < 20; attempt++) {
    const udp: UdpSocket = createSocket("udp4");
    const port = await new Promise<number>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind(0, host, () => resolve(udp.address().port));
    }).catch(() => 0);
    if (!port) continue;
    udp.on("message", (message, remote) => {
      counts.udp += 1;
      respond(message, "udp", (reply) => udp.send(reply, remote.port, remote.address));
    });
    let tcp: Server | null = null;
    if (!options.udpOnly) {
      tcp = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
        let buffer = Buffer.alloc(0);
        socket.on("data", (chunk: Buffer) => {
          buffer = Buffer.concat([buffer, chunk]);
          while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
            const length = buffer.readUInt16BE(0);
            const message = buffer.subarray(2, 2 + length);
            buffer = buffer.subarray(2 + length);
            counts.tcp += 1;
            respond(message, "tcp", (reply) => {
              const framed = Buffer.alloc(2 + reply.length);
              framed.writeUInt16BE(reply.length, 0);
              reply.copy(framed, 2);
              if (!socket.destroyed) socket.write(framed);
            });
          }
        });
      });
      const isListening = await new Promise<boolean>((resolve) => {
        tcp?.once("error", () => resolve(false));
        tcp?.listen(port, host, () => resolve(true));
      });
      if (!isListening) {
        udp.close();
        continue;
      }
    }
    return {
      host,
      port,
      address: `${host}:${port}`,
      counts,
      set: (name, type, entry) => zone.set(key(name, type), entry),
      async stop() {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        udp.close();
        await new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
      },
    };
  }
  throw new Error(`Could not find a port free for both UDP and TCP on ${host}`);
}

/** A zone map from [name, type, entry] rows. */
export function zoneOf(
  rows: [name: string, type: string, entry: ZoneEntry][],
): Map<string, ZoneEntry> {
  return new Map(rows.map(([name, type, entry]) => [key(name, type), entry]));
}
