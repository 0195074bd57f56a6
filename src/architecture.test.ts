import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

// The layout's rules (docs/decisions/layout.md), checked on every run:
// 1. imports flow one way, lowest layer first;
// 2. a feature never imports another feature;
// 3. nothing eager imports a lazily loaded folder or module except by import();
// 4. there is no import circle.
// Each rule is a function over an import graph, so the test can also feed it a graph with a
// deliberately wrong import and see it fail.

const SRC = resolve(import.meta.dirname);
const ROOT = resolve(SRC, "..");

/**
 * Layers from the lowest: a module may import its own layer and any layer before it. `boot`
 * (what runs before React: the inline early requests) sits above `jmap`, whose Authorization
 * header it computes (docs/decisions/layout.md).
 */
const LAYERS = [
  "paths",
  "jmap",
  "boot",
  "stalwart",
  "components",
  "navigation",
  "session",
  "pending-apply",
  "features",
  "app",
] as const;

/** Folders whose code loads on demand: reached from eager code only by import(). */
const LAZY_FOLDERS = [
  "features/tls-strategies/form",
  "features/tls-strategies/edit",
  "features/delivery-test",
  "features/tls-assignment",
];

/** One edge of the graph: `from` imports `to` (files relative to src/), statically or not. */
interface Edge {
  from: string;
  to: string;
  isDynamic: boolean;
  /** `import type …`: erased from the build, so it loads nothing (still an edge of a circle). */
  isTypeOnly: boolean;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Resolves a relative specifier to a source file, as the bundler does (.ts, .tsx). */
function resolveModule(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every import of the page's code: static, re-exported, side-effect, type-only and dynamic. */
function importGraph(): Edge[] {
  const edges: Edge[] = [];
  for (const file of filesUnder(SRC)) {
    const text = readFileSync(file, "utf8");
    const pattern =
      /(?:(?:import|export)[^"'`;]*?from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g;
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] as string;
      if (!specifier.startsWith(".")) continue;
      const target = resolveModule(file, specifier);
      if (!target?.startsWith(SRC)) continue;
      edges.push({
        from: relative(SRC, file),
        to: relative(SRC, target),
        isDynamic: /^import\s*\(/.test(match[0]),
        isTypeOnly: /^(?:import|export)\s+type\s/.test(match[0]),
      });
    }
  }
  return edges;
}

const layerOf = (file: string) => {
  const first = file.split("/")[0] ?? "";
  return first.replace(/\.tsx?$/, "");
};
const featureOf = (file: string) =>
  file.startsWith("features/") ? (file.split("/")[1] ?? null) : null;

/** Rule 1: an import that goes up the layers. */
function upwardImports(edges: Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const a = LAYERS.indexOf(layerOf(from) as (typeof LAYERS)[number]);
    const b = LAYERS.indexOf(layerOf(to) as (typeof LAYERS)[number]);
    if (a < 0 || b < 0 || b <= a) return [];
    return [`${from} imports ${to} (${layerOf(to)} is above ${layerOf(from)})`];
  });
}

/** Rule 2: a feature importing another. */
function crossFeatureImports(edges: Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const a = featureOf(from);
    const b = featureOf(to);
    return a && b && a !== b ? [`${from} imports ${to} (another feature)`] : [];
  });
}

/**
 * Rule 3: what main.tsx reaches by static imports is the first download; a module in a lazy
 * folder, or one that some code loads with import(), must not be in it.
 */
function eagerImportsOfLazyCode(edges: Edge[], entry = "main.tsx"): string[] {
  const loadedLazily = new Set(edges.filter((edge) => edge.isDynamic).map((edge) => edge.to));
  const isLazy = (file: string) =>
    loadedLazily.has(file) || LAZY_FOLDERS.some((folder) => file.startsWith(`${folder}/`));
  const eager = new Set([entry]);
  const wrong: string[] = [];
  for (const file of eager) {
    for (const edge of edges) {
      if (edge.from !== file || edge.isDynamic || edge.isTypeOnly) continue;
      if (isLazy(edge.to)) wrong.push(`${edge.from} imports ${edge.to}, which loads on demand`);
      else eager.add(edge.to);
    }
  }
  return wrong;
}

/** Rule 4: every import circle, as its files in order. */
function importCircles(edges: Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const circles = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const to of next.get(file) ?? []) {
      if (state.get(to) === "open") {
        const circle = path.slice(path.indexOf(to));
        const start = circle.indexOf([...circle].sort()[0] as string);
        circles.add([...circle.slice(start), ...circle.slice(0, start)].join(" → "));
      } else if (!state.has(to)) visit(to);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of next.keys()) if (!state.has(file)) visit(file);
  return [...circles];
}

describe("the layout's rules hold for the page's code", () => {
  const graph = importGraph();

  test("imports flow one way: no layer imports one above it", () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  test("no feature imports another feature", () => {
    expect(crossFeatureImports(graph)).toEqual([]);
  });

  test("nothing eager imports code that loads on demand, except by import()", () => {
    expect(eagerImportsOfLazyCode(graph)).toEqual([]);
  });

  test("there is no import circle", () => {
    expect(importCircles(graph)).toEqual([]);
  });
});

describe("each rule catches a wrong import", () => {
  const edge = (from: string, to: string, isDynamic = false): Edge => ({
    from,
    to,
    isDynamic,
    isTypeOnly: false,
  });

  test("a component importing a feature goes up the layers", () => {
    expect(upwardImports([edge("components/notice.tsx", "features/x/model/a.ts")])).toHaveLength(1);
    expect(upwardImports([edge("features/x/model/a.ts", "components/notice.tsx")])).toEqual([]);
  });

  test("one feature importing another", () => {
    expect(
      crossFeatureImports([edge("features/a/list/list.tsx", "features/b/model/m.ts")]),
    ).toHaveLength(1);
  });

  test("the entry importing a lazily loaded module statically", () => {
    const graph = [
      edge("main.tsx", "app/router.tsx"),
      edge("app/router.tsx", "features/tls-strategies/form/form.tsx", true),
      edge("app/router.tsx", "features/tls-strategies/edit/edit-page.tsx"),
    ];
    expect(eagerImportsOfLazyCode(graph)).toEqual([
      "app/router.tsx imports features/tls-strategies/edit/edit-page.tsx, which loads on demand",
    ]);
    expect(
      eagerImportsOfLazyCode([
        edge("main.tsx", "app/a.ts"),
        edge("app/a.ts", "app/b.ts", true),
        edge("app/a.ts", "app/b.ts"),
      ]),
    ).toHaveLength(1);
  });

  test("a circle, dynamic imports included", () => {
    expect(
      importCircles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts", true), edge("c.ts", "a.ts")]),
    ).toEqual(["a.ts → b.ts → c.ts"]);
  });
});

test("the server takes from the page only wire types, paths and pure shared modules", () => {
  const allowed = /^\.\.\/(\.\.\/)*src\/(paths|jmap\/protocol|stalwart\/(expression|delivery)\/)/;
  const wrong = filesUnder(join(ROOT, "server")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/from\s+["']([^"']+)["']/g)]
      .map((match) => match[1] as string)
      .filter(
        (specifier) =>
          /^react(-dom)?(\/|$)/.test(specifier) ||
          (specifier.includes("src/") && !allowed.test(specifier)),
      )
      .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
  );
  expect(wrong).toEqual([]);
});

test("the query string is decoded once: nothing uses wouter's decoding search hooks", () => {
  // wouter's useSearch and useSearchParams decodeURI the query string before URLSearchParams
  // decodes it again ("x%2550" became "xP"); navigation/url-search.ts reads it as it is.
  const wrong = filesUnder(SRC).filter((file) =>
    /import\s*\{[^}]*\buse(Search|SearchParams)\b[^}]*\}\s*from\s*["']wouter["']/.test(
      readFileSync(file, "utf8"),
    ),
  );
  expect(wrong.map((file) => relative(ROOT, file))).toEqual([]);
});
