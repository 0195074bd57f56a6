import { expect, test } from "vitest";
import { refusalReason } from "./address-filter";

// Which addresses the probe refuses to connect to, and how it names them.

test.each([
  ["127.0.0.1", "loopback (RFC 1122) 127.0.0.0/8"],
  ["10.1.2.3", "private (RFC 1918) 10.0.0.0/8"],
  ["172.20.0.1", "private (RFC 1918) 172.16.0.0/12"],
  ["192.168.1.1", "private (RFC 1918) 192.168.0.0/16"],
  ["100.64.0.1", "shared / carrier-grade NAT (RFC 6598) 100.64.0.0/10"],
  ["169.254.1.1", "link-local (RFC 3927) 169.254.0.0/16"],
  ["224.0.0.1", "multicast (RFC 5771) 224.0.0.0/4"],
  ["0.0.0.0", "unspecified / this network (RFC 1122) 0.0.0.0/8"],
  ["255.255.255.255", "reserved / broadcast (RFC 1112) 240.0.0.0/4"],
  ["::1", "loopback (RFC 4291) ::1/128"],
  ["::", "unspecified (RFC 4291) ::/128"],
  ["fd00::1", "unique local (RFC 4193) fc00::/7"],
  ["fe80::1", "link-local (RFC 4291) fe80::/10"],
  ["ff02::1", "multicast (RFC 4291) ff00::/8"],
  ["::ffff:127.0.0.1", "loopback (RFC 1122) 127.0.0.0/8"],
  ["::ffff:10.0.0.1", "private (RFC 1918) 10.0.0.0/8"],
  // The same IPv4-mapped addresses as a DNS answer decodes them (dns-packet writes hex words).
  ["::ffff:7f00:1", "loopback (RFC 1122) 127.0.0.0/8"],
  ["::ffff:a00:1", "private (RFC 1918) 10.0.0.0/8"],
  ["0:0:0:0:0:ffff:127.0.0.1", "loopback (RFC 1122) 127.0.0.0/8"],
  ["64:ff9b::7f00:1", "loopback (RFC 1122) 127.0.0.0/8"],
  ["64:ff9b::192.168.0.1", "private (RFC 1918) 192.168.0.0/16"],
  ["2002:a9fe:0101::1", "link-local (RFC 3927) 169.254.0.0/16"],
  ["::7f00:1", "IPv4-compatible (RFC 4291) ::/96"],
  ["mx.example.com", "not an IP address"],
])("%s is refused: %s", (address, reason) => expect(refusalReason(address)).toBe(reason));

test.each([
  "8.8.8.8",
  "1.1.1.1",
  "2606:4700:4700::1111",
  "::ffff:8.8.8.8",
  "::ffff:808:808",
  "64:ff9b::808:808",
  "2002:808:808::1",
])("%s is public", (address) => expect(refusalReason(address)).toBeNull());
