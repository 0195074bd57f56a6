import { request } from "node:http";

// The sign-in attack of the save-under-attack measure (attack.ts), run in a child process:
// `attempts` wrong passwords over `concurrency` connections, each from 127.0.0.1, or (`spread`
// "1") each from an address of its own in 127.0.0.0/8 (a spread-out attack that per-address
// limits do not stop, so every attempt costs a password hash). Answers the count of each
// status received (and of connection errors).

export async function attackWorker([
  host = "",
  port = "0",
  attempts = "0",
  concurrency = "0",
  spread = "0",
]: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let next = 0;
  const attempt = (i: number) =>
    new Promise<void>((resolve) => {
      const localAddress =
        spread === "1" ? `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}` : "127.0.0.1";
      const req = request(
        {
          host,
          port: Number(port),
          path: "/jmap/",
          method: "POST",
          localAddress,
          headers: {
            Authorization: `Basic ${Buffer.from(`admin:wrong-${i}`).toString("base64")}`,
            "Content-Type": "application/json",
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const status = String(res.statusCode);
            counts[status] = (counts[status] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        counts.error = (counts.error ?? 0) + 1;
        resolve();
      });
      req.end('{"using":[],"methodCalls":[]}');
    });
  const connection = async () => {
    while (next < Number(attempts)) await attempt(next++);
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, connection));
  return counts;
}
