import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { isDeclaredTooLarge } from "./jmap/limits";

/**
 * The app as a Node request listener. Fetch's Headers joins repeated headers with ", ", but
 * Stalwart sends its two WWW-Authenticate challenges as two header lines (shared wire
 * reference §2), and clients parse them more reliably that way; split them back here.
 */
export function nodeListener(app: Hono) {
  const listener = getRequestListener(app.fetch);
  return (req: IncomingMessage, res: ServerResponse) => {
    const writeHead = res.writeHead.bind(res) as (
      status: number,
      headers?: OutgoingHttpHeaders,
    ) => ServerResponse;
    res.writeHead = ((status: number, headers?: OutgoingHttpHeaders | string) => {
      if (typeof headers === "object" && headers !== null) {
        const challenges = headers["www-authenticate"];
        if (typeof challenges === "string") {
          headers["www-authenticate"] = challenges.split(/,\s*(?=(?:Basic|Bearer)\s)/);
        }
        return writeHead(status, headers);
      }
      return writeHead(status);
    }) as typeof res.writeHead;
    return listener(req, res);
  };
}

/**
 * Serves `app` on `server`. A request with `Expect: 100-continue` (RFC 9110 §10.1.1) gets
 * "100 Continue" only when the body it announces could be accepted: one whose Content-Length
 * is already over the largest body this server takes (maxSizeRequest, shared wire reference
 * §2) is answered at once, without inviting the client to send it. Node would otherwise send
 * 100 Continue for every such request before the app could refuse it.
 */
export function serveApp(server: Server, app: Hono): Server {
  const listener = nodeListener(app);
  server.on("request", listener);
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!isDeclaredTooLarge(req.headers["content-length"])) res.writeContinue();
    // Over the limit: the app answers from the headers alone (the JMAP API refuses by the
    // declared length before reading a byte; other routes never read a body).
    void listener(req, res);
  });
  return server;
}
