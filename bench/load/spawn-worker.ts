import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The load workers' entry as the bench build writes it: load/worker.js beside the bench's own
 * bundle (dist/bench/run.js, whose URL import.meta.url is once built).
 */
const WORKER = join(dirname(fileURLToPath(import.meta.url)), "load", "worker.js");

/**
 * Starts a load worker (worker.ts) in a child process of its own, so that it does not share
 * the server's event loop. Its output is the one line of JSON it prints when done.
 */
export function spawnWorker(kind: "throughput" | "attack", args: string[]) {
  const child = spawn(process.execPath, [WORKER, kind, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      hasExited = true;
      resolve(code);
    }),
  );
  return { exited, hasExited: () => hasExited, output: () => output };
}
