import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";

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
