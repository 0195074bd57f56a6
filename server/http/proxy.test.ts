import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { createApp } from "../app";
import { ADMIN } from "../test-support";
import { sameOriginRedirect } from "./proxy";

describe("proxy mode (STALWART_URL)", () => {
  test("passes requests with their Authorization through and rewrites the session to this origin", async () => {
    const seen: { path: string; authorization?: string; body: string }[] = [];
    const upstream = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
        if (req.url === "/.well-known/jmap") {
          res.writeHead(307, { Location: `http://127.0.0.1:${port}/jmap/session` }).end();
        } else if (req.url === "/jmap/session") {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ apiUrl: `https://mail.example.com/jmap/`, username: "admin" }));
        } else {
          res
            .writeHead(200, { "Content-Type": "application/json" })
            .end(JSON.stringify({ echoed: body }));
        }
      });
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => upstream.once("listening", resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const app = createApp({ upstream: `http://127.0.0.1:${port}`, isAllowedHost: () => true });
      const wellKnown = await app.request("http://ui.local:8080/.well-known/jmap");
      expect(wellKnown.status).toBe(307);
      expect(wellKnown.headers.get("Location")).toBe("http://ui.local:8080/jmap/session");

      const session = await app.request("http://ui.local:8080/jmap/session", {
        headers: { Authorization: ADMIN },
      });
      expect(await session.json()).toEqual({
        apiUrl: "http://ui.local:8080/jmap/",
        username: "admin",
      });

      const api = await app.request("http://ui.local:8080/jmap/", {
        method: "POST",
        headers: { Authorization: ADMIN, "Content-Type": "application/json" },
        body: '{"using":[]}',
      });
      expect(await api.json()).toEqual({ echoed: '{"using":[]}' });
      expect(seen.map((s) => [s.path, s.authorization])).toEqual([
        ["/.well-known/jmap", undefined],
        ["/jmap/session", ADMIN],
        ["/jmap/", ADMIN],
      ]);
    } finally {
      upstream.close();
    }
  });

  test("the proxy states X-Forwarded-* itself and drops upstream CORS headers", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const upstream = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Credentials": "true",
      });
      res.end("{}");
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => upstream.once("listening", resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const app = createApp({
        upstream: `http://127.0.0.1:${port}`,
        isAllowedHost: () => true,
        clientAddress: () => "203.0.113.7",
      });
      const response = await app.request("https://ui.local/jmap/", {
        method: "POST",
        headers: {
          Authorization: ADMIN,
          "Content-Type": "application/json",
          "X-Forwarded-For": "1.1.1.1",
          "X-Forwarded-Host": "evil.example",
          Forwarded: "for=1.1.1.1",
        },
        body: "{}",
      });
      expect(seen["x-forwarded-for"]).toBe("203.0.113.7");
      expect(seen["x-forwarded-proto"]).toBe("https");
      expect(seen["x-forwarded-host"]).toBe("ui.local");
      expect(seen.forwarded).toBeUndefined();
      expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
      expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
    } finally {
      upstream.close();
    }
  });

  test("a session that is not JSON, or a redirect to elsewhere, is a 502; X-Real-IP is dropped", async () => {
    let realIp: string | string[] | undefined = "unset";
    const upstream = createServer((req, res) => {
      realIp = req.headers["x-real-ip"];
      if (req.url === "/jmap/session")
        res.writeHead(200, { "Content-Type": "text/html" }).end("<html>");
      else res.writeHead(302, { Location: "//evil.example/x" }).end();
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => upstream.once("listening", resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const app = createApp({ upstream: `http://127.0.0.1:${port}`, isAllowedHost: () => true });
      const session = await app.request("http://ui.local/jmap/session", {
        headers: { "X-Real-IP": "1.1.1.1" },
      });
      expect(session.status).toBe(502);
      expect(realIp).toBeUndefined();
      const redirected = await app.request("http://ui.local/.well-known/jmap");
      expect(redirected.status).toBe(502);
      expect(redirected.headers.get("Location")).toBeNull();
    } finally {
      upstream.close();
    }
  });

  test.each([
    ["/jmap/session", "https://tls.example.com/jmap/session"],
    ["https://mail.example.com/jmap/?x=1#y", "https://tls.example.com/jmap/?x=1#y"],
    ["session", "https://tls.example.com/session"],
  ])("a redirect within the upstream is rewritten to this origin: %j", (location, expected) => {
    expect(
      sameOriginRedirect(location, "https://mail.example.com", "https://tls.example.com"),
    ).toBe(expected);
  });

  test.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "/\t/evil.example/x",
    "\\\\evil.example/x",
    "https://mail.example.com.evil.example/x",
    "https://mail.example.com:8443/x",
    "http://mail.example.com/x",
    "javascript:alert(1)",
  ])("a redirect that leaves the upstream is refused, however it is written: %j", (location) => {
    expect(
      sameOriginRedirect(location, "https://mail.example.com", "https://tls.example.com"),
    ).toBeNull();
  });

  test("an unreachable upstream is a 502 that says so", async () => {
    const app = createApp({ upstream: "http://127.0.0.1:1", isAllowedHost: () => true });
    const response = await app.request("http://ui.local/jmap/session");
    expect(response.status).toBe(502);
    expect((await response.json()).detail).toMatch(/Could not reach the Stalwart server/);
  });
});
