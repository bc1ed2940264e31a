"use server";

import { randomBytes } from "node:crypto";
import { z } from "zod";
import { HydraRejection, type OAuth2Client } from "@olympus/ory-client/admin";
import { adminAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { hydraAdmin } from "@/shared/server/ory";
import { enforceM2MPolicy } from "./m2m/enforcement";
import { oauth2ClientInput, toHydraClient } from "./client-input";

async function hydra<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HydraRejection) throw new AdminActionError(error.message);
    throw error;
  }
}

/** A client secret Athena generates: 256 bits, shown once, stored only as Hydra's hash. */
function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export const createOAuth2Client = adminAction({ action: "oauth2_client.create", input: oauth2ClientInput }, async (input) => {
  const client = await enforceM2MPolicy(toHydraClient(input), input.tokenLifetimeMinutes);
  const secret = input.tokenEndpointAuthMethod === "none" ? undefined : newSecret();
  const created = await hydra(() => hydraAdmin().createClient({ ...client, ...(secret ? { client_secret: secret } : {}) }));
  return {
    data: { clientId: created.client_id ?? "", clientSecret: created.client_secret ?? secret ?? null },
    target: created.client_id ?? null,
    details: {
      grantTypes: input.grantTypes,
      firstParty: input.firstParty,
      tokenLifetime: client.client_credentials_grant_access_token_lifespan,
    },
    message: "Client created. Copy the secret now: it is not shown again.",
  };
});

export const updateOAuth2Client = adminAction(
  { action: "oauth2_client.update", input: oauth2ClientInput.extend({ clientId: z.string().min(1).max(255) }), target: (i) => i.clientId },
  async (input) => {
    const existing = await hydraAdmin().getClient(input.clientId);
    if (!existing) throw new AdminActionError("This client no longer exists.");
    const client = await enforceM2MPolicy({ ...existing, ...toHydraClient(input) }, input.tokenLifetimeMinutes);
    // No client_secret in the body: Hydra keeps the current one.
    await hydra(() => hydraAdmin().setClient(input.clientId, { ...client, client_secret: undefined }));
    return {
      data: null,
      details: { grantTypes: input.grantTypes, tokenLifetime: client.client_credentials_grant_access_token_lifespan },
      message: "Client saved.",
    };
  },
);

export const deleteOAuth2Client = adminAction(
  {
    action: "oauth2_client.delete",
    input: z.object({ clientId: z.string().min(1).max(255), confirmation: z.string() }),
    target: (i) => i.clientId,
  },
  async ({ clientId, confirmation }) => {
    if (confirmation !== clientId) throw new AdminActionError("The confirmation text does not match the client id.");
    await hydraAdmin().deleteClient(clientId);
    return { data: null, message: "Client deleted; its tokens no longer work." };
  },
);

export const rotateClientSecret = adminAction(
  { action: "oauth2_client.rotate_secret", input: z.object({ clientId: z.string().min(1).max(255) }), target: (i) => i.clientId },
  async ({ clientId }) => {
    const existing = await hydraAdmin().getClient(clientId);
    if (!existing) throw new AdminActionError("This client no longer exists.");
    if (existing.token_endpoint_auth_method === "none") throw new AdminActionError("A public client has no secret.");
    const secret = newSecret();
    await hydra(() => hydraAdmin().setClient(clientId, { ...existing, client_secret: secret }));
    await hydraAdmin().deleteClientTokens(clientId);
    return {
      data: { clientId, clientSecret: secret },
      message:
        "New secret set and the client's access tokens revoked; its refresh tokens need the new secret. Copy it now: it is not shown again.",
    };
  },
);

export const createM2MClient = adminAction(
  {
    action: "m2m_client.create",
    input: z.object({
      name: z.string().trim().min(1).max(100),
      scopes: z
        .array(z.string().regex(/^[A-Za-z0-9:._/-]{1,100}$/))
        .min(1)
        .max(50),
      tokenLifetimeMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
    }),
  },
  async (input) => {
    const machine: OAuth2Client = {
      client_name: input.name,
      grant_types: ["client_credentials"],
      response_types: ["code"],
      scope: input.scopes.join(" "),
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: [],
      metadata: { athena_kind: "m2m" },
    };
    const client = await enforceM2MPolicy(machine, input.tokenLifetimeMinutes);
    const secret = newSecret();
    const created = await hydra(() => hydraAdmin().createClient({ ...client, client_secret: secret }));
    return {
      data: { clientId: created.client_id ?? "", clientSecret: created.client_secret ?? secret },
      target: created.client_id ?? null,
      details: { scopes: input.scopes, tokenLifetime: client.client_credentials_grant_access_token_lifespan },
      message: "Machine client created. Copy the secret now: it is not shown again.",
    };
  },
);
