import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readConfig } from "./config";

const scratch = mkdtempSync(join(tmpdir(), "config-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const PEM =
  "-----BEGIN CERTIFICATE-----\nMIIBsTCCAVegAwIBAgIUVGVzdA==\n-----END CERTIFICATE-----\n";
const caFile = join(scratch, "ca.pem");
writeFileSync(caFile, PEM);
const emptyFile = join(scratch, "empty.pem");
writeFileSync(emptyFile, "not a certificate\n");

describe("readConfig", () => {
  test("an empty environment is a local server on 8080 with its data in ./data", () => {
    const { probe, ...config } = readConfig({});
    expect(probe).toMatchObject({ smtpPort: 25, mtaStsPort: 443, extraCaFile: null });
    expect(probe.privateAddressesAllowed).toBe(false);
    expect(config).toEqual({
      host: "127.0.0.1",
      port: 8080,
      upstream: undefined,
      dataDir: "data",
      staticDir: undefined,
      adminPassword: undefined,
      publicUrl: undefined,
      allowedHosts: [],
      testHooks: false,
      serveSourceMaps: false,
      exitOnStdinClose: false,
    });
  });

  test("reads every variable; empty ones count as unset", () => {
    const { probe, ...config } = readConfig({
      HOST: "0.0.0.0",
      PORT: "0",
      DATA_DIR: ":memory:",
      STATIC_DIR: "/srv/ui",
      STALWART_ADMIN_PASSWORD: "",
      PUBLIC_URL: "https://tls.example.com/",
      ALLOWED_HOSTS: "a.example, .example.org b:8443",
      STALWART_TEST_HOOKS: "1",
      SOURCEMAPS: "1",
      EXIT_ON_STDIN_CLOSE: "1",
      DNS_SERVERS: "127.0.0.1:5353,192.0.2.53",
      SMTP_PORT: "2525",
      MTA_STS_PORT: "8443",
      NODE_EXTRA_CA_CERTS: caFile,
      PROBE_PRIVATE_ADDRESSES: "1",
    });
    expect(probe).toMatchObject({
      dnsServers: [
        { host: "127.0.0.1", port: 5353 },
        { host: "192.0.2.53", port: 53 },
      ],
      smtpPort: 2525,
      mtaStsPort: 8443,
      extraCaFile: caFile,
      privateAddressesAllowed: true,
    });
    expect(config).toEqual({
      host: "0.0.0.0",
      port: 0,
      upstream: undefined,
      dataDir: null,
      staticDir: "/srv/ui",
      adminPassword: undefined,
      publicUrl: "https://tls.example.com",
      allowedHosts: ["a.example", ".example.org", "b:8443"],
      testHooks: true,
      serveSourceMaps: true,
      exitOnStdinClose: true,
    });
  });

  test("test hooks never come with STALWART_URL", () => {
    const config = readConfig({
      STALWART_URL: "https://mail.example.com",
      STALWART_TEST_HOOKS: "1",
    });
    expect(config.upstream).toBe("https://mail.example.com");
    expect(config.testHooks).toBe(false);
  });

  test.each([
    [{ PORT: "http" }, 'PORT must be a port number from 0 to 65535 (it is "http").'],
    [{ PORT: "65536" }, 'PORT must be a port number from 0 to 65535 (it is "65536").'],
    [{ PUBLIC_URL: "tls.example.com" }, "PUBLIC_URL must be an http(s) address"],
    [{ PUBLIC_URL: "ftp://tls.example.com" }, "PUBLIC_URL must be an http(s) address"],
    [{ PUBLIC_URL: "https://example.com/tls" }, "PUBLIC_URL must be an origin without a path"],
    [{ DNS_SERVERS: "dns.example" }, 'DNS_SERVERS: "dns.example" is not an address'],
    [{ SMTP_PORT: "25x" }, 'SMTP_PORT must be a port number from 1 to 65535 (it is "25x").'],
    [{ MTA_STS_PORT: "0" }, 'MTA_STS_PORT must be a port number from 1 to 65535 (it is "0").'],
    [{ NODE_EXTRA_CA_CERTS: "/nonexistent/ca.pem" }, "NODE_EXTRA_CA_CERTS names /nonexistent"],
    [{ NODE_EXTRA_CA_CERTS: emptyFile }, `NODE_EXTRA_CA_CERTS names ${emptyFile}, which holds no`],
    [{ PROBE_PRIVATE_ADDRESSES: "yes" }, "PROBE_PRIVATE_ADDRESSES must be 1 (probe private"],
  ])("%j refuses the start, naming the variable", (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
