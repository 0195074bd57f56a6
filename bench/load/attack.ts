import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../server/store";
import { startServer } from "../server";
import { ADMIN_AUTHORIZATION, ADMIN_PASSWORD } from "../settings";
import { percentile } from "../stats";
import { spawnWorker } from "./spawn-worker";

// 6. Saves while someone guesses passwords (README, "Signing in: limits"): the wrong
// passwords come from attack-worker.ts, in a child process.

const ATTACK_ATTEMPTS = 1_000;
const ATTACK_CONCURRENCY = 8;

/**
 * An admin's save (an update, written to disk) timed while idle, and while 1,000 wrong
 * passwords arrive over 8 connections, from one address and from 1,000 addresses.
 */
export async function saveUnderAttack(clientDir: string) {
  const dataDir = await mkdtemp(join(tmpdir(), "bench-attack-"));
  const { store } = await openStore({ dataDir, adminPassword: ADMIN_PASSWORD });
  const server = await startServer(store, clientDir);
  const auth = ADMIN_AUTHORIZATION;
  const [id] = [...store.strategies.keys()];
  let counter = 0;
  const save = async () => {
    counter += 1;
    const start = performance.now();
    const response = await fetch(`${server.origin}/jmap/`, {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({
        using: ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"],
        methodCalls: [
          [
            "x:MtaTlsStrategy/set",
            { update: { [id as string]: { description: `Save ${counter}` } } },
            "s",
          ],
        ],
      }),
    });
    await response.json();
    if (!response.ok) throw new Error(`A save failed: ${response.status}`);
    return performance.now() - start;
  };
  const timeSaves = async (isDone: () => boolean, at_most: number) => {
    const times: number[] = [];
    while (times.length < at_most && !isDone()) times.push(await save());
    return times;
  };
  try {
    await save(); // signs in once; later saves use the remembered credentials
    const idle = await timeSaves(() => false, 40);
    const attacked = async (spread: boolean) => {
      const { port } = new URL(server.origin);
      const worker = spawnWorker("attack", [
        "127.0.0.1",
        port,
        String(ATTACK_ATTEMPTS),
        String(ATTACK_CONCURRENCY),
        spread ? "1" : "0",
      ]);
      await new Promise((r) => setTimeout(r, 300));
      const started = performance.now();
      const times = await timeSaves(worker.hasExited, 200);
      const code = await worker.exited;
      if (code !== 0) throw new Error(`The attack script failed (${code}).`);
      return {
        saves: times.length,
        p50Ms: Number(percentile(times, 0.5).toFixed(1)),
        p99Ms: Number(percentile(times, 0.99).toFixed(1)),
        attackSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        answers: JSON.parse(worker.output()) as Record<string, number>,
      };
    };
    return {
      idle: {
        saves: idle.length,
        p50Ms: Number(percentile(idle, 0.5).toFixed(1)),
        p99Ms: Number(percentile(idle, 0.99).toFixed(1)),
      },
      oneAddress: await attacked(false),
      manyAddresses: await attacked(true),
    };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
