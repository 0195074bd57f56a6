import type { Context, Hono } from "hono";
import { proxy } from "hono/proxy";
import { problemResponse } from "./responses";

// STALWART_URL: the API proxied to a real Stalwart (README, Configuration), so that the page
// talks to one origin only. The proxy states who the client is itself, lets nothing upstream
// widen who may read the answers, and keeps the browser on this origin.

/**
 * Headers a client may not set for the upstream, which may trust them for the client's
 * address or the public URL: the proxy states the X-Forwarded ones itself.
 */
const FORWARDED = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-prefix",
  "x-forwarded-server",
  "x-real-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
];

/**
 * Where a proxied redirect may lead: `location` read against the upstream (as the browser
 * would read it against this page), rewritten to `ownOrigin` when it points at the upstream,
 * or null when it points anywhere else.
 */
export function sameOriginRedirect(
  location: string,
  upstreamOrigin: string,
  ownOrigin: string,
): string | null {
  let target: URL;
  try {
    target = new URL(location, upstreamOrigin);
  } catch {
    return null;
  }
  if (target.origin !== upstreamOrigin) return null;
  return ownOrigin + target.pathname + target.search + target.hash;
}

export interface ProxyRoutes {
  /** STALWART_URL: the Stalwart server that answers the API. */
  upstream: string;
  /** The client's address, stated to the upstream as X-Forwarded-For. */
  address: (c: Context) => string;
  /** PUBLIC_URL: the origin redirects and the session's URLs are rewritten to. */
  publicUrl: string | undefined;
}

export function mountProxy(app: Hono, { upstream, address, publicUrl }: ProxyRoutes) {
  const target = new URL(upstream);
  const upstreamOrigin = target.origin;
  const forward = async (c: Context) => {
    const incoming = new URL(c.req.url);
    const url = new URL(incoming.pathname + incoming.search, target);
    const headers = new Headers(c.req.raw.headers);
    headers.delete("host");
    for (const name of FORWARDED) headers.delete(name);
    headers.set("X-Forwarded-For", address(c));
    headers.set("X-Forwarded-Proto", incoming.protocol.replace(":", ""));
    headers.set("X-Forwarded-Host", incoming.host);
    let upstreamResponse: Response;
    try {
      upstreamResponse = await proxy(url, { raw: c.req.raw, headers, redirect: "manual" });
    } catch (error) {
      return problemResponse({
        type: "about:blank",
        status: 502,
        title: "Bad Gateway",
        detail: `Could not reach the Stalwart server at ${upstreamOrigin}: ${(error as Error).message}`,
      });
    }
    const responseHeaders = new Headers(upstreamResponse.headers);
    // The page is served from this origin: nothing upstream may widen who can read it.
    for (const name of [...responseHeaders.keys()]) {
      if (name.toLowerCase().startsWith("access-control-")) responseHeaders.delete(name);
    }
    const ownOrigin = publicUrl ?? incoming.origin;
    // A redirect stays on this origin: one to the upstream's own address is rewritten to this
    // one, and one to anywhere else is not passed on. The Location is parsed as a browser
    // parses it (WHATWG URL), so "/\\host", "/<TAB>/host" and "https://<upstream>.evil" are
    // seen for what they are, not judged by their first characters.
    const location = responseHeaders.get("Location");
    if (location !== null) {
      const redirect = sameOriginRedirect(location, upstreamOrigin, ownOrigin);
      if (redirect === null) {
        return problemResponse({
          type: "about:blank",
          status: 502,
          title: "Bad Gateway",
          detail: "The Stalwart server redirected to another address; the page stays on its own.",
        });
      }
      responseHeaders.set("Location", redirect);
    }
    // The session's URLs must point back here, or the browser would leave this origin.
    if (incoming.pathname === "/jmap/session" && upstreamResponse.ok) {
      let session: Record<string, unknown>;
      try {
        session = (await upstreamResponse.json()) as Record<string, unknown>;
        if (typeof session !== "object" || session === null) throw new Error("not an object");
      } catch {
        return problemResponse({
          type: "about:blank",
          status: 502,
          title: "Bad Gateway",
          detail: "The Stalwart server's session was not JSON.",
        });
      }
      for (const key of ["apiUrl", "downloadUrl", "uploadUrl", "eventSourceUrl"]) {
        const value = session[key];
        if (typeof value === "string") session[key] = value.replace(/^https?:\/\/[^/]+/, ownOrigin);
      }
      responseHeaders.delete("content-length");
      responseHeaders.delete("content-encoding");
      return new Response(JSON.stringify(session), {
        status: upstreamResponse.status,
        headers: responseHeaders,
      });
    }
    return new Response(upstreamResponse.body, {
      status: upstreamResponse.status,
      statusText: upstreamResponse.statusText,
      headers: responseHeaders,
    });
  };
  app.all("/.well-known/jmap", forward);
  app.all("/jmap", forward);
  app.all("/jmap/*", forward);
  app.all("/api/*", forward);
  app.all("/api", forward);
}
