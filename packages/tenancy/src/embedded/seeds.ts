import type { Tenant } from "../tenant";
import type { TenantSecrets } from "../secrets";
import { ATHENA_CALLBACK_PATH, athenaClientId } from "./app-env";
import {
  appOrigin,
  CONTROL_PLANE_SCOPE,
  CONTROL_PLANE_SECRET_VARIABLE,
  CONTROL_PLANE_TOKEN_LIFESPAN,
  controlPlaneClientId,
} from "./render";

export interface HydraAdmin {
  url: string;
  token: string;
}

type ClientBody = Record<string, unknown> & { client_id: string };

/** Creates the client, or replaces it (secret included) when it exists: the tenant's files are the source of truth. */
async function putClient(hydra: HydraAdmin, body: ClientBody): Promise<void> {
  const headers = { authorization: `Bearer ${hydra.token}`, "content-type": "application/json" };
  const created = await fetch(`${hydra.url}/admin/clients`, { method: "POST", headers, body: JSON.stringify(body) });
  if (created.ok) return;
  if (created.status !== 409) throw new Error(`Hydra refused client ${body.client_id}: HTTP ${created.status} ${await created.text()}`);
  const replaced = await fetch(`${hydra.url}/admin/clients/${encodeURIComponent(body.client_id)}`, {
    method: "PUT",
    headers,
    body: JSON.stringify(body),
  });
  if (!replaced.ok) throw new Error(`Hydra refused client ${body.client_id}: HTTP ${replaced.status} ${await replaced.text()}`);
}

/**
 * The tenant's clients at its own IAM Hydra: each Athena's sign-in client
 * (secret from the tenant's .env), and the control plane's machine client —
 * client_credentials only, one scope, tokens of at most five minutes.
 */
export function iamClients(tenant: Tenant, secrets: TenantSecrets): ClientBody[] {
  const secret = (variable: string) => {
    const value = secrets[variable];
    if (!value) throw new Error(`the tenant's secrets have no ${variable}`);
    return value;
  };
  const athena = (["ciam", "iam"] as const).map((domain) => {
    const origin = appOrigin(tenant, domain, "athena");
    return {
      client_id: athenaClientId(domain),
      client_name: `Athena ${domain.toUpperCase()} (${tenant.name})`,
      client_secret: secret(`${domain.toUpperCase()}_ATHENA_CLIENT_SECRET`),
      redirect_uris: [`${origin}${ATHENA_CALLBACK_PATH}`],
      post_logout_redirect_uris: [`${origin}/`],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid email profile offline_access",
      token_endpoint_auth_method: "client_secret_basic",
      skip_consent: true,
    };
  });
  return [
    ...athena,
    {
      client_id: controlPlaneClientId(tenant),
      client_name: `Olympus control plane (${tenant.name})`,
      client_secret: secret(CONTROL_PLANE_SECRET_VARIABLE),
      grant_types: ["client_credentials"],
      response_types: [],
      scope: CONTROL_PLANE_SCOPE,
      audience: [],
      token_endpoint_auth_method: "client_secret_basic",
      client_credentials_grant_access_token_lifespan: CONTROL_PLANE_TOKEN_LIFESPAN,
    },
  ];
}

export async function seedIamClients(hydra: HydraAdmin, tenant: Tenant, secrets: TenantSecrets): Promise<string[]> {
  const clients = iamClients(tenant, secrets);
  for (const client of clients) await putClient(hydra, client);
  return clients.map((client) => client.client_id);
}
