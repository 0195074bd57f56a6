import { resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { frameOf, PAGE_ROUTE } from "../../src/paths";
import { readIndex } from "./index-html";
import { acceptedEncoding, PageVariants } from "./page-variants";

// The built UI: the page's routes (src/paths.ts) answer index.html with the frame of their
// path and the admin's theme, assets go out as the build compressed them, and any other path
// is a 404.

/** The page's theme cookie: "light" or "dark"; none follows the system (src/components/theme.tsx). */
const THEME_COOKIE = "stalwart-tls-theme";

export function mountPages(
  app: Hono,
  { staticDir, serveSourceMaps }: { staticDir: string; serveSourceMaps: boolean },
) {
  const root = resolve(staticDir);
  if (!serveSourceMaps) {
    app.get("*", async (c, next) => (c.req.path.endsWith(".map") ? c.notFound() : next()));
  }
  app.use(
    "/assets/*",
    serveStatic({
      root,
      // The build wrote `.br` and `.gz` beside each file (scripts/vite/precompress.ts): sent
      // as they are, by Accept-Encoding, never compressed again per request.
      precompressed: true,
      // Vite puts a content hash in every asset's name, so it may be cached for good.
      onFound: (_path, c) => {
        c.header("Cache-Control", "public, max-age=31536000, immutable");
        c.header("Vary", "Accept-Encoding");
      },
    }),
  );
  const pages = new PageVariants(readIndex(root));
  const page = async (c: Context, status: 200 | 404) => {
    c.header("Cache-Control", "no-cache");
    c.header("Vary", "Cookie, Accept-Encoding");
    c.header("Content-Type", "text/html; charset=UTF-8");
    const theme = getCookie(c, THEME_COOKIE);
    const variant = await pages.get(
      status === 200 ? frameOf(c.req.path) : "none",
      theme === "light" || theme === "dark" ? theme : "system",
      acceptedEncoding(c.req.header("Accept-Encoding")),
    );
    if (variant.encoding) c.header("Content-Encoding", variant.encoding);
    return c.body(variant.body, status);
  };
  // index.html only ever goes out through page(), which puts the admin's theme on it.
  app.get("/", (c) => page(c, 200));
  app.get("/index.html", (c) => page(c, 200));
  app.use(
    "*",
    serveStatic({
      root,
      onFound: (path, c) =>
        c.header(
          "Cache-Control",
          path.endsWith("index.html") ? "no-cache" : "public, max-age=3600",
        ),
    }),
  );
  // The page's routes are the UI's: index.html. Other paths are 404s; a browser still gets
  // the page, which says "Page not found", with the 404 status.
  app.get("*", async (c, next) => {
    if (PAGE_ROUTE.test(c.req.path)) return page(c, 200);
    if ((c.req.header("Accept") ?? "").includes("text/html")) return page(c, 404);
    return next();
  });
}
