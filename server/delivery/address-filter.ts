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

/** The 16 bytes of an IPv6 address in any written form (URL canonicalises it, RFC 5952). */
function ipv6Bytes(address: string): number[] {
  const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = "", tail = ""] = host.includes("::") ? host.split("::") : [host, ""];
  const words = (text: string) =>
    text ? text.split(":").map((word) => Number.parseInt(word, 16)) : [];
  const left = words(head);
  const right = words(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((word) => [word >> 8, word & 0xff]);
}

/**
 * The IPv4 address an IPv6 address carries where the network may deliver it to that IPv4
 * host: NAT64's well-known prefix 64:ff9b::/96 (RFC 6052) and 6to4's 2002::/16 (RFC 3056).
 * IPv4-mapped ::ffff:0:0/96 needs no help: BlockList matches it against IPv4 subnets.
 */
function embeddedIpv4(bytes: number[]): string | null {
  const isNat64 = bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b;
  if (isNat64 && bytes.slice(4, 12).every((byte) => byte === 0)) return bytes.slice(12).join(".");
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6).join(".");
  return null;
}

/**
 * Why `address` may not be probed ("loopback (RFC 1122) 127.0.0.0/8"), or null when it is a
 * public unicast address. An IPv6 address that reaches an IPv4 host is judged by that host,
 * whatever its written form: IPv4-mapped (`::ffff:127.0.0.1` and `::ffff:7f00:1` alike),
 * NAT64 and 6to4; the deprecated IPv4-compatible ::/96 is refused. Anything that is not an IP
 * address at all is refused too.
 */
export function refusalReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  const kind = family === 4 ? "ipv4" : "ipv6";
  const hit = LISTS.find((entry) => entry.list.check(address, kind));
  if (hit) return `${hit.name} ${hit.cidr}`;
  if (kind === "ipv4") return null;
  const bytes = ipv6Bytes(address);
  if (bytes.slice(0, 12).every((byte) => byte === 0)) return "IPv4-compatible (RFC 4291) ::/96";
  const ipv4 = embeddedIpv4(bytes);
  return ipv4 === null ? null : refusalReason(ipv4);
}
