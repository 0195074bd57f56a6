import { attackWorker } from "./attack-worker";
import { throughputWorker } from "./throughput-worker";

// The entry of the load workers' child process (built to dist/bench/load/worker.js beside the
// bench, see package.json): `node worker.js <throughput|attack> …arguments` prints what the
// worker measured as one line of JSON.

const WORKERS: Record<string, (args: string[]) => Promise<unknown>> = {
  throughput: throughputWorker,
  attack: attackWorker,
};

const [kind = "", ...args] = process.argv.slice(2);
const worker = WORKERS[kind];
if (!worker) {
  console.error(`No worker "${kind}": throughput or attack.`);
  process.exit(2);
}
console.log(JSON.stringify(await worker(args)));
