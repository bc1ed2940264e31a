import type { SocialProvider, SocialSignIn } from "@olympus/athena-store/settings";

/**
 * Athena's social sign-in providers as Kratos' `selfservice.methods.oidc`
 * (field names of Kratos' selfservice/strategy/oidc/provider_config.go,
 * `Configuration`): every provider is a `generic` OpenID Connect provider
 * discovered from its issuer.
 */
export interface KratosOidcProvider {
  id: string;
  provider: "generic";
  label: string;
  client_id: string;
  client_secret: string;
  issuer_url: string;
  scope: string[];
  /** `base64://` of the Jsonnet claims mapper (ory/x fetcher decodes standard base64). */
  mapper_url: string;
}

export interface KratosOidcMethod {
  enabled: boolean;
  config: { providers: KratosOidcProvider[] };
}

export interface DefaultMapperOptions {
  /** Whether the identity schema has `traits.name.first`/`last` (every schema this repository ships has). */
  schemaHasName?: boolean;
}

/**
 * The mapper used when a provider has none: a verified `email` claim becomes
 * `traits.email` (and a verified address, so no verification mail is sent
 * for an address the provider already proved); `given_name`/`family_name`
 * fill `traits.name` when the schema has it. An unverified email is not
 * taken: trusting it would let anyone claim another person's address.
 */
export function defaultClaimsMapper(options: DefaultMapperOptions = {}): string {
  const name =
    options.schemaHasName === false
      ? ""
      : `
      [if std.objectHas(claims, 'given_name') || std.objectHas(claims, 'family_name') then 'name' else null]: {
        [if std.objectHas(claims, 'given_name') then 'first' else null]: claims.given_name,
        [if std.objectHas(claims, 'family_name') then 'last' else null]: claims.family_name,
      },`;
  return `local claims = std.extVar('claims');
local verified = std.objectHas(claims, 'email') && std.objectHas(claims, 'email_verified') && claims.email_verified == true;
{
  identity: {
    traits: {
      [if verified then 'email' else null]: claims.email,${name}
    },
    verified_addresses: if verified then [{ via: 'email', value: claims.email }] else [],
  },
}
`;
}

function base64Url(text: string): string {
  return `base64://${Buffer.from(text, "utf8").toString("base64")}`;
}

export function kratosOidcProvider(provider: SocialProvider, options: DefaultMapperOptions = {}): KratosOidcProvider {
  return {
    id: provider.id,
    provider: "generic",
    label: provider.label,
    client_id: provider.clientId,
    client_secret: provider.clientSecret,
    issuer_url: provider.issuer,
    scope: [...provider.scopes],
    mapper_url: base64Url(provider.mapper ?? defaultClaimsMapper(options)),
  };
}

export function kratosOidcMethod(
  social: Pick<SocialSignIn, "enabled" | "providers">,
  options: DefaultMapperOptions = {},
): KratosOidcMethod {
  return { enabled: social.enabled, config: { providers: social.providers.map((provider) => kratosOidcProvider(provider, options)) } };
}
