import { request } from "node:https";
import type * as packet from "dns-packet";
import type { Failure, MtaStsFacts } from "../../../src/stalwart/delivery/facts";
import { dnsErrorText } from "../../../src/stalwart/delivery/outcome";
import { refusalReason } from "../address-filter";
import type { ProbeConfig } from "../config";
import type { DnsClient } from "../dns/dns-client";
import { lookupAddresses, lookupClassified } from "../dns/dns-lookup";
import { parseStsPolicy, parseStsRecord, utf8Error } from "./mta-sts-parse";

// The MTA-STS collector: the `_mta-sts` TXT record, then the policy fetch as Stalwart's
// reqwest client makes it (shared delivery reference §1.2 step 2, table A, §4.4): no redirects,
// no status check, 1 MiB cap (Content-Length first), UTF-8 required, one timer for it all.
// https.request rather than fetch: Node 20's fetch takes no custom CA without undici.

/** Stalwart's MAX_POLICY_SIZE (mta_sts/lookup.rs). */
export const MAX_POLICY_BYTES = 1024 * 1024;

type Fetch = NonNullable<MtaStsFacts["fetch"]>;

export interface StsDeps {
  client: DnsClient;
  config: Pick<
    ProbeConfig,
    "mtaStsPort" | "timeouts" | "privateAddressesAllowed" | "ipLookupStrategy" | "maxMultihomed"
  >;
  /** PEM roots (trust-store.ts). */
  ca: string[];
  signal?: AbortSignal;
}

/**
 * GET https://mta-sts.<domain>/.well-known/mta-sts.txt from `address`, bounded by
 * `timeoutMs` for everything (connect, TLS, headers, body). Never rejects: the outcome says
 * how it ended ("body" with `body` set, "timeout", "unreachable" before a response,
 * "failed" during the body, "too-large").
 */
export function fetchPolicy(
  domain: string,
  address: string,
  deps: Pick<StsDeps, "ca" | "signal"> & { port: number; timeoutMs: number },
): Promise<{ fetch: Fetch; body?: Buffer }> {
  const host = `mta-sts.${domain}`;
  const url = `https://${host}${deps.port === 443 ? "" : `:${deps.port}`}/.well-known/mta-sts.txt`;
  const started = performance.now();
  return new Promise((resolve) => {
    let httpStatus: number | null = null;
    let bytes = 0;
    let isDone = false;
    const finish = (outcome: Fetch["outcome"], detail?: string, body?: Buffer) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      deps.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      const elapsedMs = Math.round(performance.now() - started);
      const fetch: Fetch = { url, address, port: deps.port, httpStatus, bytes, elapsedMs, outcome };
      resolve({ fetch: detail ? { ...fetch, detail } : fetch, ...(body ? { body } : {}) });
    };
    const req = request({
      host: address,
      port: deps.port,
      servername: host,
      path: "/.well-known/mta-sts.txt",
      method: "GET",
      headers: { host: url.slice("https://".length, url.indexOf("/", 8)), accept: "*/*" },
      ca: deps.ca,
      rejectUnauthorized: true,
      agent: false,
    });
    const timer = setTimeout(
      () => finish("timeout", `no complete answer within ${deps.timeoutMs} ms`),
      deps.timeoutMs,
    );
    timer.unref();
    const onAbort = () => finish("failed", "stopped");
    deps.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) =>
      finish(httpStatus === null ? "unreachable" : "failed", error.message),
    );
    req.on("response", (response) => {
      httpStatus = response.statusCode ?? null;
      const declared = Number(response.headers["content-length"] ?? Number.NaN);
      if (declared > MAX_POLICY_BYTES)
        return finish("too-large", `Content-Length ${declared} over ${MAX_POLICY_BYTES}`);
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_POLICY_BYTES) return finish("too-large", `over ${MAX_POLICY_BYTES} bytes`);
        chunks.push(chunk);
      });
      response.on("end", () => finish("body", undefined, Buffer.concat(chunks)));
      response.on("error", (error) => finish("failed", error.message));
    });
    req.end();
  });
}

type FetchFailure = Exclude<Fetch["outcome"], "body" | "not-utf8" | "refused">;

/** Table A: reqwest's error classes as Stalwart words them (OM l.174-232). */
const FAILURES: Record<FetchFailure, Failure> = {
  timeout: { temporary: true, text: "Timeout fetching policy." },
  unreachable: { temporary: true, text: "Could not reach policy host." },
  failed: { temporary: true, text: "Failed to fetch policy." },
  "too-large": { temporary: false, text: "Failed to parse policy: Policy too large" },
};

/**
 * The MTA-STS facts for `domain` (table A): the TXT record, the first record that parses, the
 * policy fetch from the address our resolver gives for `mta-sts.<domain>`, and the policy or
 * Stalwart's failure text. Never rejects except when the signal aborts.
 */
export async function collectMtaSts(domain: string, deps: StsDeps): Promise<MtaStsFacts> {
  const txt = await lookupClassified(deps.client, `_mta-sts.${domain}`, "TXT", deps.signal);
  const records = txt.answers.map((answer) => {
    const data = (answer as packet.TxtAnswer).data;
    const chunks = Array.isArray(data) ? data : [data];
    return chunks
      .map((chunk) => (typeof chunk === "string" ? chunk : chunk.toString("utf8")))
      .join("");
  });
  const txtFacts = {
    outcome: txt.outcome,
    records,
    rcode: txt.rcode,
    ...(txt.error ? { error: txt.error } : {}),
    elapsedMs: txt.elapsedMs,
  };
  const none = (failure: Failure, record: MtaStsFacts["record"] = null): MtaStsFacts => ({
    txt: txtFacts,
    record,
    fetch: null,
    policy: null,
    failure,
  });
  if (txt.outcome === "nxdomain" || txt.outcome === "nodata")
    return none({ temporary: false, text: `Record not found: ${txt.rcode}` });
  if (txt.outcome !== "records")
    return none({ temporary: true, text: `DNS lookup error: ${dnsErrorText(txt.error ?? "")}` });
  let record: MtaStsFacts["record"] = null;
  for (const text of records) {
    const id = parseStsRecord(text);
    if (id) {
      record = { id, text };
      break;
    }
  }
  if (!record) return none({ temporary: false, text: "Failed to parse MTA-STS DNS record." });

  const host = `mta-sts.${domain}`;
  const port = deps.config.mtaStsPort;
  const url = `https://${host}${port === 443 ? "" : `:${port}`}/.well-known/mta-sts.txt`;
  const ips = await lookupAddresses(
    deps.client,
    host,
    { ...deps.config, maxMultihomed: 1 },
    deps.signal,
  );
  const address = ips.addresses[0];
  const base = { url, port, httpStatus: null, bytes: 0, elapsedMs: ips.elapsedMs };
  if (!address) {
    const detail = `no address for ${host}: ${ips.error ?? ips.outcome}`;
    const fetch: Fetch = { ...base, address: null, outcome: "unreachable", detail };
    return { txt: txtFacts, record, fetch, policy: null, failure: FAILURES.unreachable };
  }
  const refused = deps.config.privateAddressesAllowed ? null : refusalReason(address);
  if (refused) {
    const fetch: Fetch = { ...base, address, outcome: "refused", detail: `${address}: ${refused}` };
    return { txt: txtFacts, record, fetch, policy: null, failure: null };
  }
  const { fetch, body } = await fetchPolicy(domain, address, {
    ca: deps.ca,
    signal: deps.signal,
    port,
    timeoutMs: deps.config.timeouts.mtaStsMs,
  });
  const result = { txt: txtFacts, record, fetch };
  if (fetch.outcome !== "body" || !body)
    return { ...result, policy: null, failure: FAILURES[fetch.outcome as FetchFailure] };
  const invalid = utf8Error(body);
  if (invalid) {
    const failure = { temporary: false, text: `Failed to parse policy: ${invalid}` };
    return { ...result, fetch: { ...fetch, outcome: "not-utf8" }, policy: null, failure };
  }
  const parsed = parseStsPolicy(body.toString("utf8"), record.id);
  if ("error" in parsed)
    return {
      ...result,
      policy: null,
      failure: { temporary: false, text: `Failed to parse policy: ${parsed.error}` },
    };
  return { ...result, policy: parsed, failure: null };
}
