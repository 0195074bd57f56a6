import { hostname, networkInterfaces } from "node:os";

// Which Host headers the server answers (README, Configuration: ALLOWED_HOSTS), like Vite's
// `server.allowedHosts` or Django's ALLOWED_HOSTS: a request that names another host (DNS
// rebinding, a forged Host) gets a 400 and can never put its name in the session's apiUrl.

const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Localhost on any port: what a server answers when nothing else was configured. */
export const localHostsOnly = (host: string) =>
  LOCAL_NAMES.has(host.replace(/:\d+$/, "").toLowerCase());

/** `host` (as in a Host header) split into a lower-case name and a port, if any. */
export function splitHost(host: string): { name: string; port: number | null } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!match) return { name: host.toLowerCase(), port: null };
  return { name: match[1] ?? "", port: match[2] === undefined ? null : Number(match[2]) };
}

/** This machine's own names and addresses, IPv6 ones in brackets as a Host header has them. */
export function ownNames(): string[] {
  const names = new Set(["localhost", "127.0.0.1", "[::1]", hostname().toLowerCase()]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      // A link-local IPv6 address carries a zone (fe80::1%eth0) no Host header can name.
      const bare = address.address.split("%")[0] ?? "";
      names.add(address.family === "IPv6" ? `[${bare}]` : bare);
    }
  }
  return [...names];
}

export interface HostRules {
  /** Names answered on the listening port: this machine's own by default. */
  names: readonly string[];
  /**
   * More, from ALLOWED_HOSTS: "name" (any port), "name:port", or ".example.com" for that
   * domain and every name under it (any port).
   */
  extra: readonly string[];
  /** The port the server listens on, known once it listens (PORT=0 picks one). */
  port: () => number;
}

/** A Host check for createApp's `isAllowedHost`. */
export function hostPolicy(rules: HostRules): (host: string) => boolean {
  const own = new Set(rules.names.map((name) => name.toLowerCase()));
  const extra = rules.extra.map((entry) => splitHost(entry));
  return (host) => {
    const { name, port } = splitHost(host);
    const listening = rules.port();
    // No port in the Host header: the scheme's default, which only port 80 or 443 serves.
    const isListeningPort =
      port === null ? listening === 80 || listening === 443 : port === listening;
    if (own.has(name) && isListeningPort) return true;
    return extra.some((entry) => {
      const isName = entry.name.startsWith(".")
        ? name === entry.name.slice(1) || name.endsWith(entry.name)
        : name === entry.name;
      return isName && (entry.port === null || entry.port === port);
    });
  };
}

/** ALLOWED_HOSTS: names separated by commas or spaces. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}
