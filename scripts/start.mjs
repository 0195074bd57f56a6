// `npm start`: build the UI and the server when the build is missing or older than the
// sources, then run the server. Plain JavaScript so that it runs before anything is built.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = [
  "src",
  "server",
  "public",
  "index.html",
  "vite.config.ts",
  "scripts/vite",
  "package-lock.json",
];
const OUTPUTS = ["dist/client/index.html", "dist/server/index.js"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    0,
  );
}

const builtAt = Math.min(...OUTPUTS.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0)));
const changedAt = Math.max(...SOURCES.map(newestMtime));
if (builtAt < changedAt) {
  console.log(
    builtAt === 0
      ? "Building the page (first start)…"
      : "Sources changed since the last build; rebuilding…",
  );
  const build = spawnSync("npm", ["run", "build", "--silent"], {
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

await import(new URL("../dist/server/index.js", import.meta.url).href);
