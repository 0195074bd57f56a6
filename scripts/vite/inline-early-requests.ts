import { build, type Plugin } from "vite";
import { BROWSER_TARGET } from "./browser-target.ts";

/**
 * Puts src/boot/early-requests.ts, bundled and minified, into index.html's head as an inline
 * classic script: on a reload of the list it sends the first data requests while the page's
 * JavaScript is still downloading (docs/decisions/first-paint-and-opening.md). The server
 * allows exactly that script by its hash in the Content-Security-Policy
 * (server/http/index-html.ts, inlineHashes).
 */
export function inlineEarlyRequests(): Plugin {
  let script: Promise<string> | undefined;
  const bundle = async () => {
    const output = await build({
      configFile: false,
      logLevel: "warn",
      build: {
        write: false,
        target: BROWSER_TARGET,
        minify: true,
        lib: { entry: "src/boot/early-requests.ts", formats: ["iife"], name: "earlyRequests" },
      },
    });
    const [first] = Array.isArray(output) ? output : [output];
    const chunk = first && "output" in first ? first.output[0] : undefined;
    if (!chunk) throw new Error("The early-requests script did not build.");
    return chunk.code.trim();
  };
  return {
    name: "inline-early-requests",
    transformIndexHtml: {
      order: "post",
      async handler(html) {
        script ??= bundle();
        return html.replace("</head>", `<script>${await script}</script></head>`);
      },
    },
  };
}
