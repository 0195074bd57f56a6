import { expect, test } from "vitest";
import { ADMIN_PASSWORD, ORIGIN, testServer } from "../../server/test-support";
import { JmapClient } from "../jmap/client";
import { fetchAllTlsStrategies } from "./all-tls-strategies";

// Every stored strategy, read against the embedded server with its session limits shrunk
// (2 objects per /get, 4 calls per request), so the reads page: two query+get pairs per
// request, and as many requests as the strategies need.

test("every strategy comes back whole and sorted by name, over as few requests as the limits allow", async () => {
  const server = await testServer();
  const names = ["g", "c", "e", "a", "f", "b"];
  for (const name of names) await server.create({ name });
  let requests = 0;
  const shrunk: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === "POST") requests += 1;
    let response = await server.app.request(request);
    const location = response.headers.get("Location");
    if (location)
      response = await server.app.request(new URL(location, request.url).href, {
        headers: request.headers,
      });
    if (request.method !== "GET") return response;
    const body = await response.json();
    const core = body.capabilities?.["urn:ietf:params:jmap:core"];
    if (core) Object.assign(core, { maxObjectsInGet: 2, maxCallsInRequest: 4 });
    return Response.json(body, { status: response.status });
  };
  const client = new JmapClient(
    { kind: "basic", username: "admin", password: ADMIN_PASSWORD },
    { fetch: shrunk, discoveryUrl: `${ORIGIN}/.well-known/jmap` },
  );
  const all = await fetchAllTlsStrategies(client);
  const stored = [...names, "default", "invalid-tls"].sort();
  expect(all.map((strategy) => strategy.name)).toEqual(stored);
  expect(all[0]).toMatchObject({ name: "a", dane: "optional", startTls: "optional" });
  // 8 strategies, 2 per /get, 2 pairs per request: 2 requests.
  expect(requests).toBe(2);
});
