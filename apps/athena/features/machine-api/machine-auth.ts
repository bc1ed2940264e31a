/**
 * Bearer tokens of machine clients at this domain's own Hydra: the control
 * plane's only way into a tenant's Athena. A token counts when this Hydra's
 * introspection (RFC 7662, Hydra's POST /admin/oauth2/introspect) says it is
 * active, issued to the one allowed client, holding the required scope — a
 * token of any other Hydra (another tenant's) is unknown here, so inactive.
 */

export interface Introspection {
  active: boolean;
  client_id?: string;
  scope?: string;
  sub?: string;
  exp?: number;
  token_use?: string;
}

export type Introspect = (token: string) => Promise<Introspection>;

export type MachineDecision =
  { ok: true; clientId: string } | { ok: false; status: 401 | 403; error: "invalid_token" | "insufficient_scope"; reason: string };

export function bearerToken(header: string | null): string | undefined {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header?.trim() ?? "");
  return match?.[1];
}

export async function authorizeMachine(
  authorization: string | null,
  rules: { allowedClientId: string | undefined; scope: string },
  introspect: Introspect,
): Promise<MachineDecision> {
  if (!rules.allowedClientId) return { ok: false, status: 403, error: "insufficient_scope", reason: "no machine client is configured" };
  const token = bearerToken(authorization);
  if (!token) return { ok: false, status: 401, error: "invalid_token", reason: "no bearer token" };
  let result: Introspection;
  try {
    result = await introspect(token);
  } catch {
    return { ok: false, status: 401, error: "invalid_token", reason: "introspection failed" };
  }
  // Hydra's token_use tells access from refresh tokens; only an access token may call an API.
  if (!result.active || (result.token_use !== undefined && result.token_use !== "access_token"))
    return { ok: false, status: 401, error: "invalid_token", reason: "inactive token" };
  if (result.client_id !== rules.allowedClientId)
    return { ok: false, status: 403, error: "insufficient_scope", reason: `client ${result.client_id ?? "?"} is not allowed` };
  if (!(result.scope ?? "").split(" ").includes(rules.scope))
    return { ok: false, status: 403, error: "insufficient_scope", reason: `scope ${rules.scope} missing` };
  return { ok: true, clientId: result.client_id };
}

/** Hydra's admin introspection, with the admin bearer token the embedded and production Hydras require. */
export function hydraIntrospection(adminUrl: string, adminToken: string | undefined, fetcher: typeof fetch = fetch): Introspect {
  return async (token) => {
    const response = await fetcher(`${adminUrl.replace(/\/$/, "")}/admin/oauth2/introspect`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
      },
      body: new URLSearchParams({ token }).toString(),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`introspection answered HTTP ${response.status}`);
    return (await response.json()) as Introspection;
  };
}
