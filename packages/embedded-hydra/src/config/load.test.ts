import { describe, expect, it } from "vitest";
import { CIAM_CONFIG, IAM_CONFIG } from "../testing/harness";
import { HydraConfigError, loadHydraConfig, parseHydraConfig, withDevCookieNames } from "./load";

const minimal = { urls: { login: "http://x.localhost/login", consent: "http://x.localhost/consent" } };

describe("Hydra config", () => {
  it("reads both domains' dev configs with their issuers, UIs, cookies and lifespans", async () => {
    const warnings: string[] = [];
    const ciam = await loadHydraConfig(CIAM_CONFIG, (line) => warnings.push(line));
    const iam = await loadHydraConfig(IAM_CONFIG, (line) => warnings.push(line));
    expect(warnings).toEqual([]);
    expect(ciam.urls.self.issuer).toBe("http://ciam.localhost:3102/");
    expect(ciam.serve.public.port).toBe(3102);
    expect(ciam.serve.cookies.names.session).toBe("ciam_hydra_session");
    expect(ciam.ttl).toMatchObject({ access_token: 3600, refresh_token: 720 * 3600, auth_code: 600, login_consent_request: 1800 });
    expect(iam.serve.admin.port).toBe(4103);
    expect(iam.oauth2.allowed_top_level_claims).toContain("iam_admin_role");
    expect(iam.oauth2.pkce.enforced_for_public_clients).toBe(true);
  });

  it("warns once about unknown keys but keeps going", () => {
    const warnings: string[] = [];
    const config = parseHydraConfig({ ...minimal, tracing: {}, serve: { public: { port: 1, tls: {} } } }, "test.yml", (line) =>
      warnings.push(line),
    );
    expect(config.serve.public.port).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("tracing");
    expect(warnings[0]).toContain("serve.public.tls");
  });

  it("fails on invalid values with the offending path", () => {
    expect(() => parseHydraConfig({ ...minimal, ttl: { access_token: "soon" } })).toThrow(/ttl\.access_token/);
    expect(() => parseHydraConfig({ ...minimal, serve: { public: { port: "x" } } })).toThrow(HydraConfigError);
    expect(() => parseHydraConfig({ ...minimal, strategies: { access_token: "paseto" } })).toThrow(/strategies\.access_token/);
    expect(() => parseHydraConfig({ ...minimal, oidc: { subject_identifiers: { supported_types: ["pairwise"] } } })).toThrow(/salt/);
    // Hydra starts without UI URLs (its fallback pages stand in); a malformed one stops it.
    expect(() => parseHydraConfig({ urls: { login: "not a url" } })).toThrow(/urls\.login/);
  });

  it("appends _dev to every cookie name in development mode (driver/config/provider.go cookieSuffix)", async () => {
    const dev = withDevCookieNames(await loadHydraConfig(CIAM_CONFIG));
    expect(dev.serve.cookies.names).toEqual({
      login_csrf: "ciam_hydra_login_csrf_dev",
      consent_csrf: "ciam_hydra_consent_csrf_dev",
      session: "ciam_hydra_session_dev",
      device_csrf: "ory_hydra_device_csrf_dev",
    });
  });
});
