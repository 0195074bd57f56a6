import { describe, expect, test } from "vitest";
import { readConfig } from "./config";

describe("readConfig", () => {
  test("an empty environment is a local server on 8080 with its data in ./data", () => {
    expect(readConfig({})).toEqual({
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
    expect(
      readConfig({
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
      }),
    ).toEqual({
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
  ])("%j refuses the start, naming the variable", (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
