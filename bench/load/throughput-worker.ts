// The load generator of the throughput measure (throughput.ts), run in a child process so that
// it does not share the server's event loop: `concurrency` clients that each send the list's
// request (query + get of 25) to `url` again as soon as it is answered, for `seconds`.

export interface ThroughputCounts {
  /** Requests answered with a page of 25 strategies. */
  done: number;
  failed: number;
  /** Latencies, ms. */
  p50: number;
  p99: number;
}

/** An answered call of the list's request: [name, arguments, call id]. */
type Call = [string, { list: unknown[] }, string];

export async function throughputWorker([
  url = "",
  auth = "",
  seconds = "0",
  concurrency = "0",
]: string[]): Promise<ThroughputCounts> {
  const body = JSON.stringify({
    using: ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"],
    methodCalls: [
      [
        "x:MtaTlsStrategy/query",
        {
          sort: [{ property: "name", isAscending: true }],
          position: 0,
          limit: 25,
          calculateTotal: true,
        },
        "q",
      ],
      [
        "x:MtaTlsStrategy/get",
        { "#ids": { resultOf: "q", name: "x:MtaTlsStrategy/query", path: "/ids" } },
        "g",
      ],
    ],
  });
  const until = Date.now() + Number(seconds) * 1000;
  let done = 0;
  let failed = 0;
  const latencies: number[] = [];
  const client = async () => {
    while (Date.now() < until) {
      const start = performance.now();
      const response = await fetch(url, {
        method: "POST",
        headers: { Authorization: auth, "Content-Type": "application/json" },
        body,
      });
      const json = (await response.json()) as { methodResponses: Call[] };
      // Read only when the answer is a 200: a problem has no methodResponses.
      if (response.ok && (json.methodResponses[1] as Call)[1].list.length === 25) done++;
      else failed++;
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, client));
  latencies.sort((a, b) => a - b);
  return {
    done,
    failed,
    p50: latencies[Math.floor(latencies.length / 2)] as number,
    p99: latencies[Math.floor(latencies.length * 0.99)] as number,
  };
}
