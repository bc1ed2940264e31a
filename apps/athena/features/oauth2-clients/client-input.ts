import { z } from "zod";
import type { OAuth2Client } from "@olympus/ory-client/admin";
import { lifespanMinutes } from "./token-lifespan";

/** Grant types Athena offers (the implicit grant is deliberately absent). */
export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;

const uriList = z
  .array(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }))
  .max(20)
  .default([]);

/** The OAuth2 client form, shared by the create/edit actions and the client form. */
export const oauth2ClientInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    redirectUris: uriList,
    postLogoutRedirectUris: uriList,
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1, "choose at least one grant type"),
    scope: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9:._/ -]*$/, "scopes are words separated by spaces")
      .max(1000),
    tokenEndpointAuthMethod: z.enum(AUTH_METHODS),
    firstParty: z.boolean(),
    /** Lifetime of client-credentials access tokens; the server applies the domain's cap (and the cap when absent). */
    tokenLifetimeMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
  })
  .refine((c) => !c.grantTypes.includes("authorization_code") || c.redirectUris.length > 0, {
    message: "the authorization code grant needs at least one redirect URI",
    path: ["redirectUris"],
  })
  .refine((c) => c.tokenEndpointAuthMethod !== "none" || !c.grantTypes.includes("client_credentials"), {
    message: "a public client cannot use client credentials",
    path: ["tokenEndpointAuthMethod"],
  });
export type OAuth2ClientInput = z.infer<typeof oauth2ClientInput>;

export function toHydraClient(input: OAuth2ClientInput): OAuth2Client {
  return {
    client_name: input.name,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris,
    grant_types: input.grantTypes,
    response_types: ["code"],
    scope: input.scope,
    token_endpoint_auth_method: input.tokenEndpointAuthMethod,
    // First-party applications skip the consent screen (Hera reads the flag too).
    skip_consent: input.firstParty,
    metadata: { first_party: input.firstParty },
  };
}

export function fromHydraClient(client: OAuth2Client): OAuth2ClientInput {
  const grants = GRANT_TYPES.filter((g) => (client.grant_types ?? []).includes(g));
  const method = AUTH_METHODS.find((m) => m === client.token_endpoint_auth_method) ?? "client_secret_basic";
  return {
    name: client.client_name ?? "",
    redirectUris: client.redirect_uris ?? [],
    postLogoutRedirectUris: client.post_logout_redirect_uris ?? [],
    grantTypes: grants.length > 0 ? grants : ["authorization_code"],
    scope: client.scope ?? "",
    tokenEndpointAuthMethod: method,
    firstParty: client.skip_consent ?? false,
    tokenLifetimeMinutes: lifespanMinutes(client.client_credentials_grant_access_token_lifespan),
  };
}

/** Machine-to-machine clients: client credentials only. */
export function isM2MClient(client: OAuth2Client): boolean {
  const grants = client.grant_types ?? [];
  return grants.length === 1 && grants[0] === "client_credentials";
}
