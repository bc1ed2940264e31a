import { z } from "zod";
import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import type { OAuth2ClientDefinition } from "./oauth2-client";

/**
 * One entry of an oauth2-clients.yml (platform/prod, platform/dev): the
 * client as Hydra stores it, minus its secret, plus `client_secret_env`, the
 * variable the secret is read from. Strict, so a misspelt field is an error
 * rather than a setting silently not applied.
 */
const GO_DURATION = /^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/;

const clientEntry = z.strictObject({
  client_id: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,127}$/, "must be 3-128 lower-case letters, digits, dots, dashes or underscores"),
  client_name: z.string().min(1),
  client_secret_env: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, "must name an environment variable (CAPITALS_AND_UNDERSCORES)")
    .optional(),
  // Required by the grants that redirect (checked in clientsFileProblems); a client_credentials client has none.
  redirect_uris: z.array(z.url({ protocol: /^https?$/ })).default([]),
  post_logout_redirect_uris: z.array(z.url({ protocol: /^https?$/ })).default([]),
  grant_types: z
    .array(
      z.enum(["authorization_code", "refresh_token", "client_credentials", "implicit", "urn:ietf:params:oauth:grant-type:device_code"]),
    )
    .min(1),
  response_types: z.array(z.enum(["code", "id_token", "token"])).default(["code"]),
  scope: z.string().min(1),
  token_endpoint_auth_method: z.enum(["client_secret_basic", "client_secret_post", "none"]).default("client_secret_basic"),
  skip_consent: z.boolean().default(false),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** A Go duration of whole hours, minutes and seconds ("5m"): this client's tokens' lifetime instead of Hydra's ttl.access_token. */
  client_credentials_grant_access_token_lifespan: z.string().regex(GO_DURATION, 'must be a duration like "5m" or "1h30m"').optional(),
});
export type OAuth2ClientEntry = z.infer<typeof clientEntry>;

export const oauth2ClientsFile = z.strictObject({
  iam: z
    .array(clientEntry)
    .nullish()
    .transform((list) => list ?? []),
  ciam: z
    .array(clientEntry)
    .nullish()
    .transform((list) => list ?? []),
});
export type OAuth2ClientsFile = z.infer<typeof oauth2ClientsFile>;

/** Why an oauth2-clients.yml document cannot be used, one line per problem; empty when it can. */
export function clientsFileProblems(document: OAuth2ClientsFile): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Domain>();
  for (const domain of DOMAINS) {
    for (const entry of document[domain]) {
      // Client ids carry their Hydra's domain, so no id exists on both sides (verify-config checks the same).
      if (!entry.client_id.startsWith(`${domain}-`))
        problems.push(`${domain}: client id "${entry.client_id}" must start with "${domain}-"`);
      const other = seen.get(entry.client_id);
      if (other) problems.push(`${domain}: client id "${entry.client_id}" is listed twice${other === domain ? "" : ` (also in ${other})`}`);
      seen.set(entry.client_id, domain);
      const redirecting = entry.grant_types.some((grant) => grant === "authorization_code" || grant === "implicit");
      if (redirecting && entry.redirect_uris.length === 0)
        problems.push(`${domain}: client "${entry.client_id}" needs redirect_uris for ${entry.grant_types.join(", ")}`);
      const confidential = entry.token_endpoint_auth_method !== "none";
      if (confidential && !entry.client_secret_env)
        problems.push(`${domain}: client "${entry.client_id}" needs client_secret_env, the variable holding its secret`);
      if (!confidential && entry.client_secret_env)
        problems.push(`${domain}: client "${entry.client_id}" is public (token_endpoint_auth_method: none) and takes no secret`);
    }
  }
  return problems;
}

/** The variables `entries` read their secrets from. */
export function secretVariables(entries: readonly OAuth2ClientEntry[]): string[] {
  return entries.flatMap((entry) => (entry.client_secret_env ? [entry.client_secret_env] : []));
}

/** An entry with its secret filled in: what ensureOAuth2Client registers. */
export function toClientDefinition(entry: OAuth2ClientEntry, secret: string | undefined): OAuth2ClientDefinition {
  const { client_secret_env: _variable, ...client } = entry;
  return { ...client, ...(secret === undefined ? {} : { client_secret: secret }) };
}
