import { spawn } from "node:child_process";
import { request } from "node:http";
import { hostname, networkInterfaces } from "node:os";
import { expect, LIST_PATH, test } from "./fixtures/page";
import { startEmbedded } from "./fixtures/server";

// Trust boundaries and sign-in limits, each on a server of its own: the Host names answered,
// the origin a session may send credentials to and the start-up settings (README,
// Configuration and Architecture), and failed sign-ins (README, "Signing in: limits").

/** A GET to 127.0.0.1 that names `host` in its Host header, as a browser elsewhere would. */
function getWithHost(origin: string, path: string, host: string, authorization?: string) {
  const { port } = new URL(origin);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: Number(port),
        path,
        headers: { Host: host, ...(authorization ? { Authorization: authorization } : {}) },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

test("a forged Host is refused and never named in a session; the machine's own names are answered", {
  tag: "@embedded",
}, async () => {
  const server = await startEmbedded([], { HOST: "0.0.0.0" });
  try {
    const { port } = new URL(server.origin);
    const admin = basic(server.admin.username, server.admin.password);
    const forged = await getWithHost(server.origin, "/jmap/session", `evil.example:${port}`, admin);
    expect(forged.status).toBe(400);
    expect(forged.body).not.toContain("evil.example");
    // Reached from another machine (HOST=0.0.0.0): by this machine's name or its addresses.
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === "IPv4")
      .map((address) => address?.address as string);
    for (const name of [hostname(), "localhost", ...addresses]) {
      const session = await getWithHost(server.origin, "/jmap/session", `${name}:${port}`, admin);
      expect(session.status, name).toBe(200);
      expect(JSON.parse(session.body).apiUrl).toBe(`http://${name.toLowerCase()}:${port}/jmap/`);
    }
  } finally {
    await server.stop();
  }
});

test("the page refuses a session whose apiUrl is not its own origin, and says why", {
  tag: "@embedded",
}, async ({ page }) => {
  const server = await startEmbedded([], { PUBLIC_URL: "http://mail.example.net" });
  try {
    await page.goto(`${server.origin}${LIST_PATH}`);
    await page.getByLabel("Username", { exact: true }).fill(server.admin.username);
    await page.getByLabel("Password", { exact: true }).fill(server.admin.password);
    const posted: string[] = [];
    page.on("request", (request) => posted.push(request.url()));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText(
      "The server's session sends API requests to http://mail.example.net/jmap/, which is not this page's own address",
    );
    await expect(page.getByRole("alert")).toContainText("set PUBLIC_URL");
    expect(posted.some((url) => url.startsWith("http://mail.example.net"))).toBe(false);
  } finally {
    await server.stop();
  }
});

test("after 10 wrong passwords the page shows the wait and does not retry", {
  tag: "@embedded",
}, async ({ page }) => {
  const server = await startEmbedded([]);
  try {
    await page.goto(`${server.origin}/sign-in`);
    await page.getByLabel("Username", { exact: true }).fill(server.admin.username);
    const password = page.getByLabel("Password", { exact: true });
    const signIn = page.getByRole("button", { name: "Sign in" });
    const limited = /^Too many failed sign-ins from this address\. Try again in \d+ seconds?\.$/;
    /** One attempt, until its answer is on screen. */
    const attempt = async (secret: string) => {
      await password.fill(secret);
      await Promise.all([
        page.waitForResponse((response) => response.url().includes("/jmap/session")),
        signIn.click(),
      ]);
      await expect(page.getByRole("alert")).toBeVisible();
      return (await page.getByRole("alert").textContent()) ?? "";
    };
    for (let count = 0; count < 10; count += 1)
      expect(await attempt(`wrong-${count}`)).toBe("Wrong username or password.");
    // The limit refuses at once from the 11th guess on (on a slow machine the ten above can
    // take long enough for it to grant one more first: 1 per 6 s).
    const attempts: string[] = [];
    let answer = "";
    for (let count = 10; count < 14 && !limited.test(answer); count += 1) {
      attempts.length = 0;
      page.on("request", (request) => attempts.push(request.url()));
      answer = await attempt(`wrong-${count}`);
      page.removeAllListeners("request");
      if (!limited.test(answer)) expect(answer).toBe("Wrong username or password.");
    }
    page.on("request", (request) => attempts.push(request.url()));
    expect(answer).toMatch(limited);
    await expect(page.getByRole("alert")).toHaveText(limited);
    await expect(signIn).toBeDisabled();
    // The attempt asked for the session and the account, once; nothing is retried after.
    const sent = attempts.length;
    expect(sent).toBeLessThanOrEqual(3);
    await page.waitForTimeout(1_500);
    expect(attempts).toHaveLength(sent);
  } finally {
    await server.stop();
  }
});

test("unknown paths are 404 with the page saying so", { tag: "@embedded" }, async ({ page }) => {
  const server = await startEmbedded([]);
  try {
    const response = await page.goto(`${server.origin}/nope`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  } finally {
    await server.stop();
  }
});

test("a port in use stops the start with one clear line", { tag: "@embedded" }, async () => {
  const server = await startEmbedded([]);
  try {
    const { port } = new URL(server.origin);
    const second = spawn(process.execPath, ["dist/server/index.js"], {
      env: { ...process.env, HOST: "127.0.0.1", PORT: port, DATA_DIR: ":memory:" },
    });
    let stderr = "";
    second.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => second.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      `Port ${port} on 127.0.0.1 is already in use: set PORT to a free one (for example PORT=${Number(port) + 1} npm start).`,
    ]);
  } finally {
    await server.stop();
  }
});

/** Starts the built server with `env` and resolves to its exit code and stderr lines. */
async function failedStart(env: Record<string, string>) {
  const child = spawn(process.execPath, ["dist/server/index.js"], {
    env: { ...process.env, HOST: "127.0.0.1", DATA_DIR: ":memory:", ...env },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill(), 10_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  return { code, lines: stderr.trim().split("\n") };
}

test("a PORT that is not a port stops the start with one clear line", {
  tag: "@embedded",
}, async () => {
  expect(await failedStart({ PORT: "abc" })).toEqual({
    code: 1,
    lines: ['Could not start: PORT must be a port number from 0 to 65535 (it is "abc").'],
  });
});

test("a PUBLIC_URL with a path stops the start with one clear line", {
  tag: "@embedded",
}, async () => {
  expect(await failedStart({ PORT: "0", PUBLIC_URL: "https://tls.example.com/admin" })).toEqual({
    code: 1,
    lines: [
      "Could not start: PUBLIC_URL must be an origin without a path, like https://tls.example.com.",
    ],
  });
});
