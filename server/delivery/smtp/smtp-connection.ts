import { connect, type Socket } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import type { ReplyStep } from "../../../src/stalwart/delivery/facts";

/** A timeout as people read it: "10 s", "2.5 s", "800 ms". */
const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

// A bounded SMTP client connection for the probe: every read has a timer, a line-length cap,
// a line-count cap and a byte cap, so a silent, dripping or flooding server ends in a clear
// fact ("timed out after 10 s", "reply line longer than 2048 bytes"). Written by hand:
// nodemailer's client hides the per-step facts (shared delivery reference §4.1).

const MAX_LINE = 2048;
const MAX_LINES = 200;
const MAX_BYTES = 256 * 1024;

/** Rust's io::Error Display for the errors a connection meets (Stalwart's texts). */
const RUST_IO: Record<string, string> = {
  ECONNREFUSED: "Connection refused (os error 111)",
  ECONNRESET: "Connection reset by peer (os error 104)",
  EHOSTUNREACH: "No route to host (os error 113)",
  ENETUNREACH: "Network is unreachable (os error 101)",
  ETIMEDOUT: "Connection timed out (os error 110)",
  EADDRNOTAVAIL: "Cannot assign requested address (os error 99)",
  EPIPE: "Broken pipe (os error 32)",
};

export const rustIoText = (error: NodeJS.ErrnoException) =>
  (error.code && RUST_IO[error.code]) || error.message;

/** OpenSSL's reason ("wrong version number") without its error-stack noise. */
export function opensslReason(error: Error): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === "string" && reason) return reason;
  return /:([^:]+):[^:]*\.c:\d+:/.exec(error.message)?.[1] ?? error.message.trim();
}

/** The RFC 8446 / rustls-safe TLS 1.2 suites: AEAD with ECDHE only (§4.6 caveats). */
export const TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

export type TlsUpgrade =
  | { ok: true; socket: TLSSocket; elapsedMs: number }
  | { ok: false; timedOut: boolean; error: string; elapsedMs: number };

export type ConnectResult =
  | { ok: true; connection: SmtpConnection; elapsedMs: number }
  | { ok: false; timedOut: boolean; error: string; elapsedMs: number };

/** Opens TCP to `address`:`port` within `timeoutMs`; never rejects. */
export function openSmtp(
  address: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ConnectResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (result: ConnectResult) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("connect");
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, timedOut: true, error: "Connection timeout", elapsedMs: elapsed() }),
      timeoutMs,
    );
    timer.unref();
    const onAbort = () =>
      done({ ok: false, timedOut: false, error: "stopped", elapsedMs: elapsed() });
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done({
        ok: false,
        timedOut: false,
        error: `I/O error: ${rustIoText(error)}`,
        elapsedMs: elapsed(),
      }),
    );
    socket.once("connect", () =>
      done({ ok: true, connection: new SmtpConnection(socket, signal), elapsedMs: elapsed() }),
    );
  });
}

/** One SMTP connection: reads replies line by line, upgrades to TLS, closes once. */
export class SmtpConnection {
  private buffer = "";
  private bytes = 0;
  private waiter: (() => void) | null = null;
  private failure: { outcome: "closed" | "error"; error: string } | null = null;
  private readonly onData = (chunk: Buffer) => {
    this.bytes += chunk.length;
    this.buffer += chunk.toString("latin1");
    if (this.bytes > MAX_BYTES) {
      this.fail("error", `more than ${MAX_BYTES} bytes from the server`);
      this.socket.destroy();
    }
    this.waiter?.();
  };
  private readonly onEnd = () => this.fail("closed", "unexpected end of file");
  private readonly onError = (error: NodeJS.ErrnoException) =>
    this.fail("error", rustIoText(error));

  constructor(
    private socket: Socket | TLSSocket,
    private readonly signal?: AbortSignal,
  ) {
    this.attach();
  }

  private attach() {
    this.socket.on("data", this.onData);
    this.socket.on("end", this.onEnd);
    this.socket.on("close", this.onEnd);
    this.socket.on("error", this.onError);
  }

  private detach() {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
  }

  private fail(outcome: "closed" | "error", error: string) {
    this.failure ??= { outcome, error };
    this.waiter?.();
  }

  /** Sends one command line (CRLF added); errors surface on the next read. */
  send(line: string) {
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  /**
   * Reads one complete reply (multi-line `ddd-` ... `ddd `) within `timeoutMs`. Never rejects:
   * "reply" with the code and the text of each line, "timeout", "unparseable" (a line that is
   * not `ddd[ -]text`, mixed codes, over-long lines or too many lines), "closed" or "error".
   */
  readReply(timeoutMs: number): Promise<ReplyStep> {
    const started = performance.now();
    return new Promise((resolve) => {
      const lines: string[] = [];
      let code: number | null = null;
      const finish = (outcome: ReplyStep["outcome"], error?: string) => {
        clearTimeout(timer);
        this.signal?.removeEventListener("abort", onAbort);
        this.waiter = null;
        const elapsedMs = Math.round(performance.now() - started);
        const step: ReplyStep = {
          outcome,
          code: outcome === "reply" ? code : null,
          lines,
          elapsedMs,
          timeoutMs,
        };
        resolve(error ? { ...step, error } : step);
      };
      const timer = setTimeout(
        () => finish("timeout", `timed out after ${seconds(timeoutMs)}`),
        timeoutMs,
      );
      timer.unref();
      const onAbort = () => finish("error", "stopped");
      this.signal?.addEventListener("abort", onAbort, { once: true });
      const pump = () => {
        for (;;) {
          const end = this.buffer.indexOf("\n");
          if (end === -1) {
            if (this.buffer.length > MAX_LINE)
              return finish("unparseable", `reply line longer than ${MAX_LINE} bytes`);
            if (this.failure) return finish(this.failure.outcome, this.failure.error);
            return;
          }
          const line = this.buffer.slice(0, end).replace(/\r$/, "");
          this.buffer = this.buffer.slice(end + 1);
          const match = /^(\d{3})([ -]|$)(.*)$/.exec(line);
          if (!match || line.length > MAX_LINE || lines.length >= MAX_LINES)
            return finish(
              "unparseable",
              `unparseable reply line ${JSON.stringify(line.slice(0, 80))}`,
            );
          const lineCode = Number(match[1]);
          if (code !== null && lineCode !== code)
            return finish("unparseable", "reply lines with different codes");
          code = lineCode;
          lines.push(match[3] ?? "");
          if (match[2] !== "-") return finish("reply");
        }
      };
      this.waiter = pump;
      pump();
    });
  }

  /**
   * Upgrades to TLS (after a 220 to STARTTLS) without checking the certificate, so one
   * handshake answers for every strategy (§4.6): rejectUnauthorized false, TLS 1.2+, AEAD
   * ECDHE suites, `ca` for the separate PKI verdict. Resolves with the TLS socket, or an
   * error text ("timeout" when `timeoutMs` passed first). Bytes the server sent after its
   * 220 (a STARTTLS injection attempt) are dropped, as RFC 3207 §5 asks.
   */
  startTls(servername: string, ca: string[], timeoutMs: number): Promise<TlsUpgrade> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    this.detach();
    this.buffer = "";
    const raw = this.socket;
    // Errors of the raw socket surface on the TLS socket from here on.
    raw.on("error", () => {});
    return new Promise((resolve) => {
      const secure = tlsConnect({
        socket: raw as Socket,
        servername,
        rejectUnauthorized: false,
        minVersion: "TLSv1.2",
        ciphers: `${TLS12_CIPHERS}:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256`,
        ca,
      });
      const done = (result: TlsUpgrade) => {
        clearTimeout(timer);
        this.signal?.removeEventListener("abort", onAbort);
        secure.removeAllListeners("secureConnect");
        if (!result.ok) secure.destroy();
        resolve(result);
      };
      const timer = setTimeout(
        () =>
          done({
            ok: false,
            timedOut: true,
            error: `timed out after ${seconds(timeoutMs)}`,
            elapsedMs: elapsed(),
          }),
        timeoutMs,
      );
      timer.unref();
      const onAbort = () =>
        done({ ok: false, timedOut: false, error: "stopped", elapsedMs: elapsed() });
      this.signal?.addEventListener("abort", onAbort, { once: true });
      secure.once("error", (error) =>
        done({ ok: false, timedOut: false, error: error.message, elapsedMs: elapsed() }),
      );
      secure.once("secureConnect", () => {
        this.socket = secure;
        this.failure = null;
        this.bytes = 0;
        this.attach();
        done({ ok: true, socket: secure, elapsedMs: elapsed() });
      });
    });
  }

  /** Closes the connection now; safe to call more than once. */
  destroy() {
    this.detach();
    this.socket.on("error", () => {});
    this.socket.destroy();
  }
}
