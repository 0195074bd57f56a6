import type { Store } from "../../server/store";
import { seed, startServer } from "../server";
import { ADMIN_AUTHORIZATION } from "../settings";
import { spawnWorker } from "./spawn-worker";
import type { ThroughputCounts } from "./throughput-worker";

// 5. Server throughput: the list's request as fast as the server answers it, from a load
// generator (throughput-worker.ts) in a child process that does not share its event loop.

const THROUGHPUT_SECONDS = 5;
const THROUGHPUT_CONCURRENCY = 8;

/** The list's request (query+get of 25) against 5,000 strategies, as fast as it is answered. */
export async function throughput(store: Store, clientDir: string) {
  await seed(store, 5_000);
  const server = await startServer(store, clientDir);
  try {
    const worker = spawnWorker("throughput", [
      `${server.origin}/jmap/`,
      ADMIN_AUTHORIZATION,
      String(THROUGHPUT_SECONDS),
      String(THROUGHPUT_CONCURRENCY),
    ]);
    const code = await worker.exited;
    if (code !== 0) throw new Error(`The load generator failed (${code}).`);
    const result = JSON.parse(worker.output()) as ThroughputCounts;
    return {
      strategies: 5_000,
      seconds: THROUGHPUT_SECONDS,
      concurrency: THROUGHPUT_CONCURRENCY,
      requestsPerSecond: Math.round(result.done / THROUGHPUT_SECONDS),
      failed: result.failed,
      p50Ms: Number(result.p50.toFixed(1)),
      p99Ms: Number(result.p99.toFixed(1)),
    };
  } finally {
    await server.close();
  }
}
