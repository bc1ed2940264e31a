import "server-only";
import type { OAuth2Client } from "@olympus/ory-client/admin";
import { formatLifespan } from "../token-lifespan";
import { AdminActionError } from "@/shared/server/action-result";
import { m2mPolicy, type M2MPolicy } from "./policy";

const NOT_CONSULTED: M2MPolicy = { allowedScopes: [], maxTokenLifetimeMinutes: 0 };

function hasClientCredentials(client: OAuth2Client): boolean {
  return (client.grant_types ?? []).includes("client_credentials");
}

/**
 * The domain's machine-to-machine policy applied to a client about to be
 * written to Hydra. A client with the client_credentials grant mints tokens
 * with nothing but its secret, so whichever form creates or edits it, every
 * scope must be on the allow-list and its tokens' lifetime bounded. Returns
 * the client with `client_credentials_grant_access_token_lifespan` set (the
 * cap when none was asked for); throws a refusal for the employee otherwise.
 */
export function applyM2MPolicy(client: OAuth2Client, policy: M2MPolicy, tokenLifetimeMinutes: number | undefined): OAuth2Client {
  // Without the grant the lifespan means nothing; undefined drops a stale one from Hydra's copy.
  if (!hasClientCredentials(client)) return { ...client, client_credentials_grant_access_token_lifespan: undefined };

  const scopes = (client.scope ?? "").split(/\s+/).filter(Boolean);
  if (scopes.length === 0) {
    // Hydra gives a client registered without scopes its defaults (openid, offline…).
    throw new AdminActionError(
      `A client-credentials client needs scopes from this domain's allow-list: ${policy.allowedScopes.join(", ")}.`,
    );
  }
  const refused = scopes.filter((scope) => !policy.allowedScopes.includes(scope));
  if (refused.length > 0) {
    throw new AdminActionError(
      `Not on this domain's machine-to-machine allow-list: ${refused.join(", ")}. Allowed: ${policy.allowedScopes.join(", ")}.`,
    );
  }
  const minutes = tokenLifetimeMinutes ?? policy.maxTokenLifetimeMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > policy.maxTokenLifetimeMinutes) {
    throw new AdminActionError(`Client-credentials tokens live at most ${policy.maxTokenLifetimeMinutes} minutes on this domain.`);
  }
  return { ...client, client_credentials_grant_access_token_lifespan: formatLifespan(minutes) };
}

/** `applyM2MPolicy` with this domain's policy, read from Settings only when the client needs it. */
export async function enforceM2MPolicy(client: OAuth2Client, tokenLifetimeMinutes: number | undefined): Promise<OAuth2Client> {
  // A client without the grant never consults the policy, so Settings is not read for it.
  const policy = hasClientCredentials(client) ? await m2mPolicy() : NOT_CONSULTED;
  return applyM2MPolicy(client, policy, tokenLifetimeMinutes);
}
