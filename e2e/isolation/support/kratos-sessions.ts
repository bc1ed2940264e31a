import { z } from "zod";

const flowJson = z.object({ id: z.string(), ui: z.object({ action: z.string() }) });
const loginJson = z.object({ session_token: z.string() });

/** A customer with a password, created through Kratos' admin API (the UI is not under test here). */
export async function createCustomer(kratosAdmin: string, adminToken: string, email: string, password: string): Promise<void> {
  const response = await fetch(`${kratosAdmin}/admin/identities`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      schema_id: "default",
      traits: { email, name: { first: "Isolation", last: "Check" } },
      credentials: { password: { config: { password } } },
      verifiable_addresses: [{ value: email, verified: true, via: "email", status: "completed" }],
    }),
  });
  if (response.status !== 201) throw new Error(`creating ${email} failed: ${response.status} ${await response.text()}`);
}

/** Signs in the way a native app does (API flow) and returns the session token. */
export async function apiLoginToken(kratosPublic: string, identifier: string, password: string): Promise<string> {
  const flow = flowJson.parse(await (await fetch(`${kratosPublic}/self-service/login/api`)).json());
  // ui.action names the browser-facing address (Hera's proxy, /.ory/kratos/…); Node reaches the same server on loopback.
  const action = new URL(flow.ui.action);
  const response = await fetch(`${kratosPublic}/self-service/login${action.search}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ method: "password", identifier, password }),
  });
  if (response.status !== 200) throw new Error(`API login at ${kratosPublic} failed: ${response.status} ${await response.text()}`);
  return loginJson.parse(await response.json()).session_token;
}

/** How a Kratos answers whoami for a credential: the HTTP status (200 = the session is valid there). */
export async function whoamiStatus(kratosPublic: string, credential: { token: string } | { cookie: string }): Promise<number> {
  const headers: Record<string, string> = "token" in credential ? { "X-Session-Token": credential.token } : { Cookie: credential.cookie };
  return (await fetch(`${kratosPublic}/sessions/whoami`, { headers })).status;
}

/** The Kratos servers (by label) that accept a session minted elsewhere: anything here breaks the boundary. */
export function serversAcceptingForeignSession(statuses: Readonly<Record<string, number>>): string[] {
  return Object.entries(statuses)
    .filter(([, status]) => status !== 401)
    .map(([label]) => label);
}
