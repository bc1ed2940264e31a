import { describe, expect, it } from "vitest";
import { HydraConfigError, parseHydraConfig } from "./load";
import { NEVER_EXPIRES, NEVER_SECONDS, providerSeconds, VC_NONCE_SECONDS } from "./ttl";

/**
 * `ttl.*` as Hydra v26.2 reads them: driver/config/provider_fosite.go
 * GetAccessTokenLifespan / GetRefreshTokenLifespan / GetIDTokenLifespan /
 * GetAuthorizeCodeLifespan (configx DurationF: a Go time.Duration, to the
 * nanosecond), validated first by .schema/config.schema.json
 * (`definitions.duration`, and `ttl.refresh_token`'s `-1`).
 */
const minimal = { urls: { login: "http://x.localhost/login", consent: "http://x.localhost/consent" } };
const ttl = (values: Record<string, unknown>) => parseHydraConfig({ ...minimal, ttl: values }).ttl;

describe("ttl.* token lifespans", () => {
  it("keeps sub-second and compound durations to the nanosecond", () => {
    expect(ttl({ access_token: "1500ms", id_token: "400ms", auth_code: "1m500us", refresh_token: "1h30m" }).lifespans).toEqual({
      access_token: 1_500_000_000n,
      id_token: 400_000_000n,
      auth_code: 60_000_500_000n,
      refresh_token: 5_400_000_000_000n,
    });
    expect(ttl({ access_token: "0s" }).lifespans.access_token).toBe(0n);
  });

  it("has Hydra's defaults", () => {
    expect(ttl({}).lifespans).toEqual({
      access_token: 3_600_000_000_000n,
      refresh_token: 720n * 3_600_000_000_000n,
      id_token: 3_600_000_000_000n,
      auth_code: 600_000_000_000n,
    });
  });

  it("reads ttl.refresh_token -1 (number or string) as never expiring", () => {
    expect(ttl({ refresh_token: -1 }).lifespans.refresh_token).toBe(NEVER_EXPIRES);
    expect(ttl({ refresh_token: "-1" }).lifespans.refresh_token).toBe(NEVER_EXPIRES);
    expect(ttl({ refresh_token: -1 }).refresh_token).toBe(NEVER_SECONDS);
  });

  it("refuses at start-up what the schema's duration pattern refuses, naming the key", () => {
    for (const bad of ["1.5s", "0", "1d", "-5m", "1h 30m", "2µs", "soon", ""]) {
      expect(() => ttl({ access_token: bad }), bad).toThrow(HydraConfigError);
      expect(() => ttl({ access_token: bad }), bad).toThrow(/ttl\.access_token: expected a duration matching/);
    }
    // A number is not a duration; only ttl.refresh_token takes -1.
    expect(() => ttl({ id_token: 3600 })).toThrow(/ttl\.id_token/);
    expect(() => ttl({ access_token: "-1" })).toThrow(/ttl\.access_token/);
    expect(() => ttl({ refresh_token: -2 })).toThrow(/ttl\.refresh_token/);
    expect(() => ttl({ auth_code: "9999999999h" })).toThrow(/ttl\.auth_code: "9999999999h" is longer than Go's time\.Duration/);
  });

  it("gives oidc-provider whole seconds that do not end earlier, at least one", () => {
    expect(providerSeconds(1_500_000_000n)).toBe(2);
    expect(providerSeconds(3_600_000_000_000n)).toBe(3600);
    expect(providerSeconds(0n)).toBe(1);
    expect(ttl({ access_token: "400ms" }).access_token).toBe(1);
  });
});

describe("ttl.* read in whole seconds", () => {
  it("checks the same pattern and rounds", () => {
    expect(ttl({ login_consent_request: "1500ms" }).login_consent_request).toBe(2);
    expect(() => ttl({ login_consent_request: "1.5s" })).toThrow(/ttl\.login_consent_request/);
    expect(() => ttl({ device_user_code: "400ms" })).toThrow(/ttl\.device_user_code: must be at least one second here/);
  });
});

describe("ttl keys .schema/config.schema.json does not have", () => {
  it("stops the start on a ttl key Hydra's schema lacks (`ttl` has additionalProperties: false), with ory/jsonschema's text", () => {
    // ttl.vc_nonce: driver/config/provider_fosite.go GetVerifiableCredentialsNonceLifespan reads it, but the schema refuses it.
    expect(() => ttl({ vc_nonce: "2h" })).toThrow(HydraConfigError);
    expect(() => ttl({ vc_nonce: "2h" })).toThrow('ttl: additionalProperties "vc_nonce" not allowed');
    expect(() => ttl({ access_token: "1h", soon: "1m", later: "2m" })).toThrow('ttl: additionalProperties "soon", "later" not allowed');
  });

  it("takes the schema's own keys, also those not run here (ttl.authentication_session is warned about, not refused)", () => {
    const warnings: string[] = [];
    parseHydraConfig({ ...minimal, ttl: { authentication_session: "24h" } }, "test.yml", (line) => warnings.push(line));
    expect(warnings).toEqual(["embedded-hydra: ignoring unsupported config keys in test.yml: ttl.authentication_session"]);
  });

  it("keeps the verifiable-credentials nonce at GetVerifiableCredentialsNonceLifespan's default, 1h", () => {
    expect(VC_NONCE_SECONDS).toBe(3600);
    expect(ttl({})).not.toHaveProperty("vc_nonce");
  });
});
