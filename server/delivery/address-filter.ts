import { BlockList, isIP } from "node:net";

// The probe connects to hosts that DNS names, an SSRF surface (shared delivery reference §4.6
// "Security"): addresses that are not public unicast are refused, and named, unless the test
// knob PROBE_PRIVATE_ADDRESSES=1 allows them. Node's own BlockList does the CIDR matching.

const RANGES: [family: "ipv4" | "ipv6", network: string, prefix: number, name: string][] = [
  ["ipv4", "0.0.0.0", 8, "unspecified / this network (RFC 1122)"],
  ["ipv4", "10.0.0.0", 8, "private (RFC 1918)"],
  ["ipv4", "100.64.0.0", 10, "shared / carrier-grade NAT (RFC 6598)"],
  ["ipv4", "127.0.0.0", 8, "loopback (RFC 1122)"],
  ["ipv4", "169.254.0.0", 16, "link-local (RFC 3927)"],
  ["ipv4", "172.16.0.0", 12, "private (RFC 1918)"],
  ["ipv4", "192.0.0.0", 24, "IETF protocol assignments (RFC 6890)"],
  ["ipv4", "192.0.2.0", 24, "documentation (RFC 5737)"],
  ["ipv4", "192.168.0.0", 16, "private (RFC 1918)"],
  ["ipv4", "198.18.0.0", 15, "benchmarking (RFC 2544)"],
  ["ipv4", "198.51.100.0", 24, "documentation (RFC 5737)"],
  ["ipv4", "203.0.113.0", 24, "documentation (RFC 5737)"],
  ["ipv4", "224.0.0.0", 4, "multicast (RFC 5771)"],
  ["ipv4", "240.0.0.0", 4, "reserved / broadcast (RFC 1112)"],
  ["ipv6", "::", 128, "unspecified (RFC 4291)"],
  ["ipv6", "::1", 128, "loopback (RFC 4291)"],
  ["ipv6", "64:ff9b:1::", 48, "local-use NAT64 (RFC 8215)"],
  ["ipv6", "100::", 64, "discard-only (RFC 6666)"],
  ["ipv6", "2001:db8::", 32, "documentation (RFC 3849)"],
  ["ipv6", "fc00::", 7, "unique local (RFC 4193)"],
  ["ipv6", "fe80::", 10, "link-local (RFC 4291)"],
  ["ipv6", "ff00::", 8, "multicast (RFC 4291)"],
];

const LISTS = RANGES.map(([family, network, prefix, name]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { family, list, name, cidr: `${network}/${prefix}` };
});

/**
 * Why `address` may not be probed ("loopback (RFC 1122) 127.0.0.0/8"), or null when it is a
 * public unicast address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged by its IPv4 address;
 * anything that is not an IP address at all is refused too.
 */
export function refusalReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const [ip, kind] = mapped
    ? [mapped, "ipv4" as const]
    : [address, family === 4 ? ("ipv4" as const) : ("ipv6" as const)];
  const hit = LISTS.find((entry) => entry.family === kind && entry.list.check(ip, kind));
  return hit ? `${hit.name} ${hit.cidr}` : null;
}
