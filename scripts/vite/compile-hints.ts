import type { Plugin } from "vite";

/**
 * Marks JS chunks for eager compilation (V8's explicit compile hints, Chrome 136+: the magic
 * comment `//# allFunctionsCalledOnLoad` on a file's first line). Without it V8 compiles each
 * function on its first call, on the main thread: opening a form paid for compiling the
 * form's code then. With it, a lazily loaded chunk is compiled as it loads (on hover or at
 * idle for the form's), off the main thread (docs/decisions/first-paint-and-opening.md). The
 * entry chunk goes without: all of it compiled before it runs made a reload about 60 ms slower
 * on a fast link, to save about 10 ms on the first click. Other browsers read a comment.
 */
export function compileHints(): Plugin {
  return {
    name: "compile-hints",
    apply: "build",
    applyToEnvironment: (environment) => environment.name === "client",
    generateBundle: {
      // After Vite's own changes to the chunks: the comment must be the file's first line.
      order: "post",
      handler(_, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== "chunk" || chunk.isEntry) continue;
          chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
          // A source map (SOURCEMAPS=1) starts one line later.
          if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
        }
      },
    },
  };
}
