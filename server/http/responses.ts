import type { ProblemDetails } from "../../src/jmap/protocol";

// The two shapes of every answer the routes make: JSON as Stalwart sends it, and a problem
// (RFC 9457, problem+json) for what fails at the level of the request.

/** JSON as Stalwart sends it (shared wire reference §1). */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

export function problemResponse(
  problem: ProblemDetails,
  headers: [string, string][] = [],
): Response {
  const response = new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json" },
  });
  for (const [name, value] of headers) response.headers.append(name, value);
  return response;
}
