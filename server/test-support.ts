import type { Invocation } from "../src/jmap/protocol";
import { createApp } from "./app";
import type { UserDeclaration } from "./auth";
import { openStore } from "./store";

// Shared by the server's unit tests: an in-memory server called without a port.

export const USING = ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"];
export const ORIGIN = "http://mail.test";
export const ADMIN_PASSWORD = "admin-secret";

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
export const ADMIN = basic("admin", ADMIN_PASSWORD);

/** A server on `dataDir` (null: in memory) with `users` besides admin. */
export async function testServer(users: UserDeclaration[] = [], dataDir: string | null = null) {
  const { store } = await openStore({ dataDir, adminPassword: ADMIN_PASSWORD, users });
  const app = createApp({ store, publicUrl: ORIGIN });
  const post = (body: unknown, authorization = ADMIN, headers: Record<string, string> = {}) =>
    app.request(`${ORIGIN}/jmap/`, {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  /** Runs method calls and returns their responses. */
  const call = async (methodCalls: Invocation[], authorization = ADMIN): Promise<Invocation[]> => {
    const response = await post({ using: USING, methodCalls }, authorization);
    if (response.status !== 200)
      throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { methodResponses: Invocation[] }).methodResponses;
  };
  /** Runs one call and returns its arguments (or the error's). */
  const one = async (name: string, args: Record<string, unknown>, authorization = ADMIN) => {
    const [response] = await call([[name, args, "c"]], authorization);
    if (!response) throw new Error("no response");
    return { name: response[0], args: response[1] as Record<string, unknown> };
  };
  const create = async (strategy: Record<string, unknown>): Promise<string> => {
    const { args } = await one("x:MtaTlsStrategy/set", { create: { n: strategy } });
    const created = args.created as Record<string, { id: string }> | undefined;
    if (!created?.n) throw new Error(`not created: ${JSON.stringify(args)}`);
    return created.n.id;
  };
  return { app, store, post, call, one, create };
}
