import { createServer as createHttpsServer } from "node:https";
import { createServer, type Server, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { SMTPServer } from "smtp-server";

// The world's SMTP and HTTPS servers. Several hosts share ONE port (SMTP_PORT and MTA_STS_PORT
// are global), each on its own 127.x.y.z address (Linux routes 127/8 to lo). smtp-server plays
// the real MTAs; a small node:net stub plays what it cannot (454/554 to STARTTLS, silence,
// a one-byte-a-second drip, garbage, a TLS peer that speaks garbage).

export interface Listener {
  close(): Promise<void>;
}

export type SmtpBehaviour =
  | { kind: "starttls"; rejectMailFrom?: boolean }
  | { kind: "plain" }
  | { kind: "greeting"; code: number }
  | { kind: "silent" }
  | { kind: "drip" }
  | { kind: "garbage-after-greeting" }
  | { kind: "starttls-reply"; code: number; delayMs?: number }
  | { kind: "tls-garbage" }
  | { kind: "refuse" };

export interface TlsMaterial {
  keyPem: string;
  chainPem: string;
}

/** Tracks sockets so close() ends them at once instead of waiting. */
function closable(server: Server, sockets: Set<Socket>): Listener {
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** The node:net stub: the SMTP misbehaviours smtp-server has no hook for. */
function stub(behaviour: SmtpBehaviour, timers: Set<ReturnType<typeof setTimeout>>): Server {
  return createServer((socket) => {
    socket.on("error", () => socket.destroy());
    const later = (ms: number, action: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!socket.destroyed) action();
      }, ms);
      timers.add(timer);
    };
    if (behaviour.kind === "silent") return;
    if (behaviour.kind === "drip") {
      const text = "220 slow.example ESMTP\r\n";
      const drip = (i: number) => {
        if (i < text.length)
          later(1000, () => {
            socket.write(text[i] ?? "");
            drip(i + 1);
          });
      };
      socket.write(text[0] ?? "");
      return drip(1);
    }
    if (behaviour.kind === "greeting")
      return void socket.end(`${behaviour.code} 5.7.1 go away\r\n`);
    socket.write("220 stub.example ESMTP\r\n");
    let buffer = "";
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("latin1");
      for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n")) {
        const line = buffer.slice(0, end).trim().toUpperCase();
        buffer = buffer.slice(end + 1);
        if (line.startsWith("EHLO")) {
          if (behaviour.kind === "garbage-after-greeting") socket.write("this is not SMTP\r\n");
          else socket.write("250-stub.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
        } else if (line === "STARTTLS") {
          if (behaviour.kind === "tls-garbage") {
            socket.write("220 2.0.0 go ahead\r\n");
            later(20, () => socket.end("\x16\x03\x01 not really TLS at all\r\n".repeat(4)));
          } else if (behaviour.kind === "starttls-reply") {
            const { code } = behaviour;
            later(behaviour.delayMs ?? 0, () =>
              socket.write(`${code} ${code >= 500 ? "5" : "4"}.7.0 TLS not available\r\n`),
            );
          }
        } else if (line === "QUIT") socket.end("221 2.0.0 bye\r\n");
        else socket.write("502 5.5.1 unknown\r\n");
      }
    });
  });
}

/**
 * Starts the SMTP server of `behaviour` on `address`:`port`; rejects on EADDRINUSE so the
 * caller can pick another shared port. `tls` is the key and chain served after STARTTLS.
 */
export async function startSmtp(
  behaviour: SmtpBehaviour,
  address: string,
  port: number,
  tls: TlsMaterial,
): Promise<Listener> {
  if (behaviour.kind === "refuse") return { close: async () => {} };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  if (behaviour.kind === "starttls" || behaviour.kind === "plain") {
    const smtp = new SMTPServer({
      secure: false,
      key: tls.keyPem,
      cert: tls.chainPem,
      hideSTARTTLS: behaviour.kind === "plain",
      authOptional: true,
      disabledCommands: ["AUTH"],
      logger: false,
      closeTimeout: 50,
      banner: "test MTA",
      onMailFrom(_from, _session, callback) {
        if (behaviour.kind === "starttls" && behaviour.rejectMailFrom) {
          return callback(Object.assign(new Error("5.7.1 Not from you"), { responseCode: 550 }));
        }
        callback();
      },
      onRcptTo(rcpt, _session, callback) {
        if (rcpt.address.startsWith("nobody@")) {
          const error = Object.assign(new Error("5.1.1 No such user"), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
    });
    const server = (smtp as unknown as { server: Server }).server;
    smtp.on("error", () => {});
    const sockets = new Set<Socket>();
    const listener = closable(server, sockets);
    await listen(server, address, port);
    return listener;
  }
  const server = stub(behaviour, timers);
  const sockets = new Set<Socket>();
  const listener = closable(server, sockets);
  await listen(server, address, port);
  return {
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await listener.close();
    },
  };
}

export type PolicyBehaviour =
  | { kind: "policy"; mode: string; mx: string[]; maxAge?: number; crlf?: boolean; status?: number }
  | { kind: "body"; status: number; body: string | Buffer; headers?: Record<string, string> }
  | { kind: "huge"; withLength: boolean }
  | { kind: "slow" };

/** The HTTPS policy host for one domain on `address`:`port` with `tls` as its certificate. */
export async function startPolicyServer(
  behaviour: PolicyBehaviour,
  address: string,
  port: number,
  tls: TlsMaterial,
): Promise<Listener> {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const server = createHttpsServer({ key: tls.keyPem, cert: tls.chainPem }, (request, response) => {
    if (request.url !== "/.well-known/mta-sts.txt") {
      response.writeHead(404).end("not here");
      return;
    }
    switch (behaviour.kind) {
      case "policy": {
        const eol = behaviour.crlf ? "\r\n" : "\n";
        const lines = [
          "version: STSv1",
          `mode: ${behaviour.mode}`,
          ...behaviour.mx.map((m) => `mx: ${m}`),
          `max_age: ${behaviour.maxAge ?? 86400}`,
        ];
        response
          .writeHead(behaviour.status ?? 200, { "content-type": "text/plain" })
          .end(lines.join(eol) + eol);
        return;
      }
      case "body":
        response.writeHead(behaviour.status, behaviour.headers ?? {}).end(behaviour.body);
        return;
      case "huge": {
        const body = Buffer.alloc(1024 * 1024 + 10, "a");
        response.writeHead(
          200,
          behaviour.withLength ? { "content-length": String(body.length) } : {},
        );
        response.end(body);
        return;
      }
      case "slow": {
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("version: STSv1\n");
        const timer = setTimeout(() => response.end("mode: testing\nmx: mx.example\n"), 5_000);
        timers.add(timer);
        return;
      }
    }
  });
  const sockets = new Set<Socket>();
  server.on("secureConnection", (socket: TLSSocket) => {
    sockets.add(socket as unknown as Socket);
    socket.on("close", () => sockets.delete(socket as unknown as Socket));
  });
  server.on("tlsClientError", () => {});
  await listen(server as unknown as Server, address, port);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
