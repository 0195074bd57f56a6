import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

// Imports flow one way: shared layers (jmap, components, session) → features → app. A shared
// module that imported a feature or the app would tie the layers back together (issue 8).

const SRC = resolve(import.meta.dirname);
const ROOT = resolve(SRC, "..");

/** The layers each layer may import from (itself included). */
const ALLOWED: Record<string, string[]> = {
  jmap: ["jmap"],
  components: ["components", "jmap"],
  session: ["session", "components", "jmap"],
  features: ["features", "session", "components", "jmap"],
  app: ["app", "features", "session", "components", "jmap"],
  // The inline script of index.html: only what it replays with.
  boot: ["boot", "session", "jmap"],
};

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module a file imports: static, re-exported, side-effect and dynamic imports. */
const importsOf = (file: string) =>
  Array.from(
    readFileSync(file, "utf8").matchAll(
      /(?:(?:import|export)[^"'`;]*?from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g,
    ),
    (match) => match[1] as string,
  );

const layerOf = (file: string) => relative(SRC, file).split("/")[0] ?? "";

test("shared layers never import features or the app; features never import the app", () => {
  const wrong: string[] = [];
  for (const file of filesUnder(SRC)) {
    const layer = layerOf(file);
    const allowed = ALLOWED[layer];
    if (!allowed) continue;
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith(".")) continue;
      const target = layerOf(resolve(dirname(file), specifier));
      if (target in ALLOWED && !allowed.includes(target))
        wrong.push(`${relative(ROOT, file)} imports ${specifier}`);
    }
  }
  expect(wrong).toEqual([]);
});

test("the server never imports React or the page's features", () => {
  const wrong = filesUnder(join(ROOT, "server")).flatMap((file) =>
    importsOf(file)
      .filter(
        (specifier) =>
          /^react(-dom)?(\/|$)/.test(specifier) || /src\/(features|app|session)\//.test(specifier),
      )
      .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
  );
  expect(wrong).toEqual([]);
});

test("the server's store knows nothing of JMAP: it uses the object definitions only", () => {
  const wrong = importsOf(join(ROOT, "server", "store.ts")).filter(
    (specifier) => specifier.includes("/jmap") || specifier.startsWith("../src"),
  );
  expect(wrong).toEqual([]);
});

test("the query string is decoded once: nothing uses wouter's decoding search hooks", () => {
  // wouter's useSearch and useSearchParams decodeURI the query string before URLSearchParams
  // decodes it again ("x%2550" became "xP"); session/url-search.ts reads it as it is.
  const wrong = filesUnder(SRC).filter((file) =>
    /import\s*\{[^}]*\buse(Search|SearchParams)\b[^}]*\}\s*from\s*["']wouter["']/.test(
      readFileSync(file, "utf8"),
    ),
  );
  expect(wrong.map((file) => relative(ROOT, file))).toEqual([]);
});
