import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderKratosOverlay, renderKratosOverlayYaml } from "./overlay";

const provider = {
  id: "acme",
  label: "Acme",
  issuer: "https://id.acme.example",
  clientId: "client-1",
  clientSecret: "s3cret",
  scopes: ["openid", "email"],
};

describe("renderKratosOverlay", () => {
  it("leaves courier out when the domain has no SMTP settings, so the base config's stays", () => {
    const overlay = renderKratosOverlay({ social: { enabled: false, providers: [] } });
    expect(overlay).toEqual({ selfservice: { methods: { oidc: { enabled: false, config: { providers: [] } } } } });
    expect(overlay.courier).toBeUndefined();
  });

  it("uses the deployment's default relay only while the domain has no SMTP settings", () => {
    const options = { defaultSmtpConnectionUri: "smtps://relay:pw@relay.example.com:465/" };
    expect(renderKratosOverlay({ social: { enabled: false, providers: [] } }, options).courier).toEqual({
      smtp: { connection_uri: "smtps://relay:pw@relay.example.com:465/" },
    });
    expect(
      renderKratosOverlay({ smtp: { host: "smtp.example.com", port: 587 }, social: { enabled: false, providers: [] } }, options).courier
        ?.smtp.connection_uri,
    ).toBe("smtp://smtp.example.com:587/");
  });

  it("sets courier.smtp from the settings", () => {
    const overlay = renderKratosOverlay({
      smtp: { host: "smtp.example.com", port: 465, username: "u", password: "p", fromAddress: "no-reply@example.com", fromName: "Ex" },
      social: { enabled: true, providers: [] },
    });
    expect(overlay.courier).toEqual({
      smtp: { connection_uri: "smtps://u:p@smtp.example.com:465/", from_address: "no-reply@example.com", from_name: "Ex" },
    });
  });

  // Field names of Kratos' selfservice/strategy/oidc/provider_config.go (Configuration).
  it("renders providers with Kratos' oidc field names and a base64:// mapper", () => {
    const custom = "local claims = std.extVar('claims'); { identity: { traits: { email: claims.sub } } }";
    const overlay = renderKratosOverlay({
      social: { enabled: true, providers: [provider, { ...provider, id: "custom", mapper: custom }] },
    });
    const [first, second] = overlay.selfservice.methods.oidc.config.providers;
    expect(overlay.selfservice.methods.oidc.enabled).toBe(true);
    expect(first).toMatchObject({
      id: "acme",
      provider: "generic",
      label: "Acme",
      client_id: "client-1",
      client_secret: "s3cret",
      issuer_url: "https://id.acme.example",
      scope: ["openid", "email"],
    });
    expect(Object.keys(first ?? {}).sort()).toEqual(
      ["client_id", "client_secret", "id", "issuer_url", "label", "mapper_url", "provider", "scope"].sort(),
    );
    const decode = (url: string | undefined) => Buffer.from((url ?? "").replace(/^base64:\/\//, ""), "base64").toString("utf8");
    expect(first?.mapper_url).toMatch(/^base64:\/\/[A-Za-z0-9+/]+=*$/);
    expect(decode(first?.mapper_url)).toContain("std.extVar('claims')");
    expect(decode(first?.mapper_url)).toContain("email_verified");
    expect(decode(first?.mapper_url)).toContain("given_name");
    expect(decode(second?.mapper_url)).toBe(custom);
  });

  it("the default mapper leaves name out for a schema without it", () => {
    const overlay = renderKratosOverlay({ social: { enabled: true, providers: [provider] } }, { schemaHasName: false });
    const mapper = Buffer.from(overlay.selfservice.methods.oidc.config.providers[0]?.mapper_url.slice(9) ?? "", "base64").toString();
    expect(mapper).not.toContain("given_name");
  });

  it("YAML: parses back to the overlay and is stable", () => {
    const settings = { smtp: { host: "smtp.example.com", port: 587 }, social: { enabled: true, providers: [provider] } };
    const text = renderKratosOverlayYaml(settings);
    expect(parse(text)).toEqual(renderKratosOverlay(settings));
    expect(renderKratosOverlayYaml(settings)).toBe(text);
  });
});
