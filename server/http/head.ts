import type { Hono, MiddlewareHandler } from "hono";

/**
 * HEAD is GET without the body (RFC 9110 §9.3.2): the same status and headers, Content-Length
 * and Vary included, from the GET route itself rather than from each route's own idea of it.
 * A stream (text/event-stream, the probe's application/x-ndjson) has no length to tell; its
 * body is not read, and cancelling it stops what it was streaming.
 */
export function headAsGet(app: Hono): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "HEAD") return next();
    const get = await app.fetch(
      new Request(c.req.raw.url, { method: "GET", headers: c.req.raw.headers }),
      c.env,
    );
    const headers = new Headers(get.headers);
    if (/^(text\/event-stream|application\/x-ndjson)/.test(headers.get("Content-Type") ?? "")) {
      await get.body?.cancel();
      headers.delete("Content-Length");
    } else {
      headers.set("Content-Length", String((await get.arrayBuffer()).byteLength));
    }
    return new Response(null, { status: get.status, statusText: get.statusText, headers });
  };
}
