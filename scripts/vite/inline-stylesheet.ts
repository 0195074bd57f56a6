import type { Plugin } from "vite";

/**
 * Puts the page's stylesheet inside index.html as a `<style>` element: the frame in the HTML
 * is styled at first paint, with no request that blocks rendering
 * (docs/decisions/first-paint-and-opening.md). The server allows exactly that element by its
 * hash in the Content-Security-Policy (server/http/index-html.ts, inlineHashes).
 */
export function inlineStylesheet(): Plugin {
  const inlined = new Set<string>();
  return {
    name: "inline-stylesheet",
    apply: "build",
    // A lazy chunk that imports another lazily lists the entry's sheet among the files to load
    // first; the file no longer exists, and a failed preload fails the import. The entry's
    // script stands in for it: already loaded, it costs nothing, and the list's indices stay.
    generateBundle: {
      order: "post",
      handler(_options, bundle) {
        const entry = Object.values(bundle).find(
          (chunk) => chunk.type === "chunk" && chunk.isEntry,
        )?.fileName;
        if (!entry) return;
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== "chunk") continue;
          for (const file of inlined) chunk.code = chunk.code.replaceAll(`"${file}"`, `"${entry}"`);
        }
      },
    },
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        return html.replace(/<link rel="stylesheet"[^>]* href="\/([^"]+\.css)">/g, (tag, file) => {
          const asset = bundle[file];
          if (asset?.type !== "asset") return tag;
          delete bundle[file];
          inlined.add(file);
          return `<style>${String(asset.source).trim()}</style>`;
        });
      },
    },
  };
}
