import { z } from "zod";
import type { KratosConfig } from "../../../config/load";
import type { Identity } from "../../../identity/identity";
import { cipherFor } from "../../../cipher/cipher";
import type { ProviderTokens } from "./client";
import { nowMicroseconds } from "../../../clock/clock";

/** identity.CredentialsOIDCProvider: one linked provider account; tokens are encrypted with the configured cipher. */
const linkSchema = z.looseObject({
  subject: z.string(),
  provider: z.string(),
  initial_id_token: z.string().default(""),
  initial_access_token: z.string().default(""),
  initial_refresh_token: z.string().default(""),
  organization: z.string().optional(),
});
export type ProviderLink = z.infer<typeof linkSchema>;

const configSchema = z.looseObject({ providers: z.array(linkSchema).default([]) });

/** identity.OIDCUniqueID. */
export const oidcIdentifier = (provider: string, subject: string) => `${provider}:${subject}`;

/**
 * encryptOAuth2Tokens: each token through the cipher `ciphers.algorithm`
 * selects — hex in clear with `noop` (Kratos' default), hex of the sealed
 * bytes with `aes` or `xchacha20-poly1305`; a missing token stays "".
 */
export function newLink(config: KratosConfig, provider: string, subject: string, tokens: ProviderTokens | undefined): ProviderLink {
  const cipher = cipherFor(config);
  const encrypt = (token: string | undefined) => (token ? cipher.encrypt(token) : "");
  return {
    subject,
    provider,
    initial_id_token: encrypt(tokens?.idToken),
    initial_access_token: encrypt(tokens?.accessToken),
    initial_refresh_token: encrypt(tokens?.refreshToken),
  };
}

/** The providers an oidc credential config links (empty when unreadable). */
export function linksFromConfig(config: Record<string, unknown>): ProviderLink[] {
  const parsed = configSchema.safeParse(config);
  return parsed.success ? parsed.data.providers : [];
}

/** The providers an identity's oidc credential links. */
export function linksOf(identity: Identity): ProviderLink[] {
  return linksFromConfig(identity.credentials.oidc?.config ?? {});
}

/** linkCredentials / MergeOIDCCredentials: adds the provider account to the identity's oidc credential (created when missing). */
export function addLink(identity: Identity, link: ProviderLink): void {
  const now = nowMicroseconds();
  const existing = identity.credentials.oidc;
  const providers = [...linksOf(identity), link];
  const identifier = oidcIdentifier(link.provider, link.subject);
  identity.credentials.oidc = {
    id: existing?.id ?? crypto.randomUUID(),
    type: "oidc",
    identifiers: [...(existing?.identifiers ?? []).filter((i) => i !== identifier), identifier],
    config: { ...(existing?.config ?? {}), providers },
    version: existing?.version ?? 0,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

/** unlinkProvider: drops every account of that provider; the credential stays, possibly empty, as in Kratos. */
export function removeProvider(identity: Identity, providerId: string): void {
  const existing = identity.credentials.oidc;
  if (!existing) return;
  const kept = linksOf(identity).filter((l) => l.provider !== providerId);
  identity.credentials.oidc = {
    ...existing,
    identifiers: kept.map((l) => oidcIdentifier(l.provider, l.subject)),
    config: { ...existing.config, providers: kept },
    updatedAt: nowMicroseconds(),
  };
}
