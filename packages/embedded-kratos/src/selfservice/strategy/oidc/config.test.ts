import { describe, expect, it } from "vitest";
import { ConfigError, type KratosConfig } from "../../../config/load";
import { callbackUrl, oidcProvider, oidcProviders } from "./config";

const provider = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  provider: "generic",
  client_id: "client",
  issuer_url: "https://issuer.example",
  scope: ["email"],
  mapper_url: "base64://e30=",
  ...extra,
});

function configWith(providers: Record<string, unknown>[]): KratosConfig {
  return {
    publicBaseUrl: "https://auth.example/.ory/kratos/",
    selfservice: { methods: { oidc: { enabled: true, config: { providers } } } },
    clients: { http: { disallow_private_ip_ranges: false, private_ip_exception_urls: [] } },
  } as unknown as KratosConfig;
}

/** oidc/provider_config.go (ConfigurationCollection.Provider, Configuration.Redir) and AddProviders. */
describe("oidc provider configuration", () => {
  it("adds openid to the scopes, labels by id when unlabelled, and leaves organization providers out", () => {
    const config = configWith([provider("a"), provider("b", { label: "B", organization_id: "org" })]);
    expect(oidcProviders(config)).toEqual([
      expect.objectContaining({ id: "a", label: "a", scopes: ["email", "openid"], claimsSource: "id_token", pkce: "auto" }),
    ]);
  });

  it("follows a reload that replaces the provider list in place of the same config object", () => {
    const config = configWith([provider("a")]);
    expect(oidcProviders(config).map((p) => p.id)).toEqual(["a"]);
    config.selfservice.methods.oidc = { enabled: true, config: { providers: [provider("b")] } };
    expect(oidcProviders(config).map((p) => p.id)).toEqual(["b"]);
  });

  it("gives every provider the config's clients.http policy, and follows a reload of it (RegistryDefault.HTTPClient reads it per client)", () => {
    const config = configWith([provider("a")]);
    expect(oidcProvider(config, "a").privateIpPolicy).toEqual({ disallowPrivateIpRanges: false, privateIpExceptionUrls: [] });
    config.clients.http = { disallow_private_ip_ranges: true, private_ip_exception_urls: ["http://idp.internal/**"] };
    expect(oidcProvider(config, "a").privateIpPolicy).toEqual({
      disallowPrivateIpRanges: true,
      privateIpExceptionUrls: ["http://idp.internal/**"],
    });
  });

  it("answers an unknown provider with Kratos' 404 and refuses provider types it does not implement", () => {
    expect(() => oidcProvider(configWith([]), "x")).toThrow(
      expect.objectContaining({ code: 404, reason: 'OpenID Connect Provider "x" is unknown or has not been configured' }),
    );
    expect(() => oidcProviders(configWith([provider("g", { provider: "google" })]))).toThrow(ConfigError);
  });

  it("builds the callback URL from the public URL, or base_redirect_uri when set", () => {
    expect(callbackUrl(configWith([]), "a")).toBe("https://auth.example/.ory/kratos/self-service/methods/oidc/callback/a");
    const config = configWith([]);
    (config.selfservice.methods.oidc as { config: Record<string, unknown> }).config.base_redirect_uri = "https://cb.example/kratos";
    expect(callbackUrl(config, "a")).toBe("https://cb.example/kratos/self-service/methods/oidc/callback/a");
  });
});
