import { z } from "zod";
import type { AthenaStack } from "./stack";

/**
 * CIAM's own admin and public APIs, called from the test to check what
 * Athena really changed (the UI's text is not the proof).
 */
export class CiamApi {
  constructor(private readonly stack: AthenaStack) {}

  private admin(base: string, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${this.stack.adminToken.ciam}`, ...init.headers } });
  }

  /** CIAM Hydra's public API by loopback address. */
  get hydraPublic(): string {
    return this.stack.hydraPublic.ciam;
  }

  kratosAdmin(path: string, init?: RequestInit): Promise<Response> {
    return this.admin(this.stack.kratosAdmin.ciam, path, init);
  }

  /** CIAM Kratos' public API by loopback address (identity schemas live there: the admin port only redirects to it). */
  kratosPublic(path: string): Promise<Response> {
    return fetch(`${this.stack.kratosPublic.ciam}${path}`);
  }

  hydraAdmin(path: string, init?: RequestInit): Promise<Response> {
    return this.admin(this.stack.hydraAdmin.ciam, path, init);
  }

  /** A customer with a password and a verified address, straight through Kratos' admin API. */
  async createCustomer(email: string, password: string): Promise<string> {
    const response = await this.kratosAdmin("/admin/identities", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        schema_id: "customer",
        traits: { email, name: { first: "Ops", last: "Customer" } },
        credentials: { password: { config: { password } } },
        verifiable_addresses: [{ value: email, verified: true, via: "email", status: "completed" }],
      }),
    });
    if (response.status !== 201) throw new Error(`creating customer failed: ${response.status} ${await response.text()}`);
    return z.object({ id: z.string() }).parse(await response.json()).id;
  }

  /**
   * A customer with only traits (no password), as an invitation leaves one:
   * the quick way to have many identities, each created after the one before.
   */
  async createBareCustomer(email: string, name: { first: string; last: string }, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await this.kratosAdmin("/admin/identities", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ schema_id: "customer", traits: { email, name }, ...extra }),
    });
    if (response.status !== 201) throw new Error(`creating customer failed: ${response.status} ${await response.text()}`);
    return z.object({ id: z.string() }).parse(await response.json()).id;
  }

  /** An identity's credentials by type, with their identifiers, as Kratos' admin API lists them. */
  async credentials(id: string): Promise<Record<string, string[]>> {
    const response = await this.kratosAdmin(`/admin/identities/${id}`);
    const body = z
      .object({ credentials: z.record(z.string(), z.object({ identifiers: z.array(z.string()).optional() })).optional() })
      .parse(await response.json());
    return Object.fromEntries(Object.entries(body.credentials ?? {}).map(([type, credential]) => [type, credential.identifiers ?? []]));
  }

  /** Signs the customer in through Kratos' API login flow; returns the session token. `userAgent` is what the session's device records. */
  async signIn(email: string, password: string, userAgent?: string): Promise<string> {
    const flow = z.object({ id: z.string() }).parse(await (await fetch(`${this.stack.kratosPublic.ciam}/self-service/login/api`)).json());
    const login = await fetch(`${this.stack.kratosPublic.ciam}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(userAgent ? { "User-Agent": userAgent } : {}) },
      body: JSON.stringify({ method: "password", identifier: email, password }),
    });
    if (login.status !== 200) throw new Error(`customer sign-in failed: ${login.status} ${await login.text()}`);
    return z.object({ session_token: z.string() }).parse(await login.json()).session_token;
  }

  async whoamiStatus(sessionToken: string): Promise<number> {
    return (await fetch(`${this.stack.kratosPublic.ciam}/sessions/whoami`, { headers: { "X-Session-Token": sessionToken } })).status;
  }

  /** The identity's state, or "deleted" once Kratos no longer has it. */
  async identityState(id: string): Promise<string> {
    const response = await this.kratosAdmin(`/admin/identities/${id}`);
    if (response.status === 404) return "deleted";
    return z.object({ state: z.string() }).parse(await response.json()).state;
  }

  /** Hydra's view of a client, or undefined once deleted. */
  async client(id: string): Promise<HydraClient | undefined> {
    const response = await this.hydraAdmin(`/admin/clients/${encodeURIComponent(id)}`);
    if (response.status === 404) return undefined;
    return hydraClient.parse(await response.json());
  }

  /** Registers a confidential code-flow client for one journey. */
  async createCodeClient(name: string, redirectUri: string): Promise<{ id: string; secret: string }> {
    const response = await this.hydraAdmin("/admin/clients", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_name: name,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        scope: "openid offline_access",
        token_endpoint_auth_method: "client_secret_basic",
      }),
    });
    if (response.status !== 201) throw new Error(`creating client failed: ${response.status} ${await response.text()}`);
    const created = z.object({ client_id: z.string(), client_secret: z.string() }).parse(await response.json());
    return { id: created.client_id, secret: created.client_secret };
  }

  /** POST /oauth2/token at CIAM Hydra with HTTP basic client authentication. */
  token(clientId: string, secret: string, form: Record<string, string>): Promise<Response> {
    return fetch(`${this.stack.hydraPublic.ciam}/oauth2/token`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`,
      },
      body: new URLSearchParams(form),
    });
  }

  async clientCredentials(clientId: string, secret: string, scope: string): Promise<Response> {
    return this.token(clientId, secret, { grant_type: "client_credentials", scope });
  }

  async isActive(token: string): Promise<boolean> {
    const response = await this.hydraAdmin("/admin/oauth2/introspect", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    return z.object({ active: z.boolean() }).parse(await response.json()).active;
  }

  async consentClients(subject: string): Promise<string[]> {
    const response = await this.hydraAdmin(`/admin/oauth2/auth/sessions/consent?subject=${encodeURIComponent(subject)}`);
    return z
      .array(z.object({ consent_request: z.object({ client: z.object({ client_id: z.string() }) }) }))
      .parse(await response.json())
      .map((s) => s.consent_request.client.client_id);
  }
}

const hydraClient = z.object({
  client_id: z.string(),
  client_name: z.string(),
  grant_types: z.array(z.string()),
  scope: z.string(),
  redirect_uris: z.array(z.string()),
  // Hydra answers null for a lifespan it was never given (x.NullDuration).
  client_credentials_grant_access_token_lifespan: z.string().nullish(),
});
export type HydraClient = z.infer<typeof hydraClient>;

export const tokenResponse = z.object({ access_token: z.string(), expires_in: z.number(), refresh_token: z.string().optional() });
