import { expect, test } from "vitest";
import { hostPolicy, ownNames, parseAllowedHosts, splitHost } from "./hosts";

const policy = hostPolicy({
  names: ["localhost", "127.0.0.1", "[::1]", "mailhost", "192.168.1.20"],
  extra: parseAllowedHosts("admin.example.com, .corp.example:8443 other.example:9000"),
  port: () => 8080,
});

test.each([
  ["localhost:8080", true, "this machine's name, on the listening port"],
  ["127.0.0.1:8080", true, "its loopback address"],
  ["[::1]:8080", true, "its IPv6 loopback"],
  ["192.168.1.20:8080", true, "its LAN address, as another machine reaches it with HOST=0.0.0.0"],
  ["MAILHOST:8080", true, "names are case-insensitive"],
  ["localhost:9999", false, "another port: a different server"],
  ["evil.example", false, "a forged or rebound host"],
  ["evil.example:8080", false, "a forged host on the right port"],
  ["admin.example.com", true, "ALLOWED_HOSTS: a name, any port"],
  ["admin.example.com:443", true, "ALLOWED_HOSTS: a name, any port"],
  ["x.corp.example:8443", true, "ALLOWED_HOSTS: a domain and what is under it, on its port"],
  ["corp.example:8443", true, "ALLOWED_HOSTS: the domain itself"],
  ["x.corp.example:80", false, "ALLOWED_HOSTS: a domain's port is kept"],
  ["other.example:9000", true, "ALLOWED_HOSTS: name:port"],
  ["other.example:9001", false, "ALLOWED_HOSTS: name:port"],
  ["notcorp.example:8443", false, "a suffix is not a subdomain"],
])("%s → %s: %s", (host, expected) => {
  expect(policy(host)).toBe(expected);
});

test("a Host without a port is the scheme's default, which only port 80 or 443 serves", () => {
  expect(policy("localhost")).toBe(false);
  const on80 = hostPolicy({ names: ["localhost"], extra: [], port: () => 80 });
  expect(on80("localhost")).toBe(true);
});

test("the machine's own names include loopback and its interfaces, IPv6 in brackets", () => {
  const names = ownNames();
  expect(names).toEqual(expect.arrayContaining(["localhost", "127.0.0.1", "[::1]"]));
  expect(names.every((name) => !name.includes(":") || name.startsWith("["))).toBe(true);
  expect(splitHost("[::1]:8080")).toEqual({ name: "[::1]", port: 8080 });
});
