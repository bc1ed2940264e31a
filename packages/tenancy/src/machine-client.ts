import { parseDocument } from "yaml";
import type { Tenant } from "./tenant";

/*
 * The control plane's machine client at a tenant's own IAM Hydra: the only
 * credential the control plane has for a tenant. client_credentials only, one
 * scope, tokens of at most five minutes, its secret in that tenant's .env
 * (or Kubernetes Secret) only. Every target registers it: the embedded
 * supervisor at each start, Compose's iam-bootstrap and the Kubernetes
 * bootstrap Job from the tenant's oauth2-clients.yml.
 */

export const CONTROL_PLANE_SCOPE = "olympus.admins.read";
export const CONTROL_PLANE_TOKEN_LIFESPAN = "5m";
export const CONTROL_PLANE_SECRET_VARIABLE = "CONTROL_PLANE_CLIENT_SECRET";
/** The variable Athena IAM reads the one client id its machine API accepts from. */
export const MACHINE_CLIENT_ID_VARIABLE = "IAM_MACHINE_CLIENT_ID";

/** `iam-` first: a client id carries its Hydra's domain (the clients file and verify-config refuse one that does not). */
export function controlPlaneClientId(tenant: Pick<Tenant, "name">): string {
  return `iam-control-plane-${tenant.name}`;
}

/** The client as an oauth2-clients.yml entry (packages/ory-client's clients-file schema): the secret named, never written. */
export function controlPlaneClientEntry(tenant: Pick<Tenant, "name">) {
  return {
    client_id: controlPlaneClientId(tenant),
    client_name: `Olympus control plane (${tenant.name})`,
    client_secret_env: CONTROL_PLANE_SECRET_VARIABLE,
    grant_types: ["client_credentials"],
    response_types: [],
    scope: CONTROL_PLANE_SCOPE,
    token_endpoint_auth_method: "client_secret_basic",
    client_credentials_grant_access_token_lifespan: CONTROL_PLANE_TOKEN_LIFESPAN,
  };
}

/** The tenant's copy of oauth2-clients.yml with the control plane's client added to `iam:` (comments kept). */
export function withControlPlaneClient(clientsYaml: string, tenant: Pick<Tenant, "name">): string {
  const document = parseDocument(clientsYaml);
  document.addIn(["iam"], document.createNode(controlPlaneClientEntry(tenant), { flow: false }));
  return document.toString({ lineWidth: 0 });
}
