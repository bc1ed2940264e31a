import { describe, expect, it } from "vitest";
import { checkSetting, settingDefinition, SETTING_GROUPS } from "./catalog";

describe("the typed settings catalogue", () => {
  it("checks SMTP values against their rules and names the rule broken", () => {
    expect(checkSetting("smtp.host", " smtp.example.com ", false)).toEqual({ ok: true, value: "smtp.example.com", secret: false });
    expect(checkSetting("smtp.host", "[::1]", false)).toMatchObject({ ok: true });
    expect(checkSetting("smtp.host", "smtp example.com", false)).toEqual({ ok: false, rule: expect.stringContaining("a host name") });
    expect(checkSetting("smtp.port", "0587", false)).toEqual({ ok: true, value: "587", secret: false });
    for (const port of ["0", "65536", "587a", "-1", ""])
      expect(checkSetting("smtp.port", port, false)).toEqual({ ok: false, rule: "a port number from 1 to 65535" });
    expect(checkSetting("smtp.from_address", "no-reply@example.com", false)).toMatchObject({ ok: true });
    expect(checkSetting("smtp.from_address", "no-reply", false)).toEqual({ ok: false, rule: expect.stringContaining("an email address") });
    expect(checkSetting("smtp.username", "relay\nBcc: someone", false)).toEqual({ ok: false, rule: "must not contain line breaks" });
  });

  it("always seals the SMTP password, whatever the form's secret box said", () => {
    expect(checkSetting("smtp.password", "hunter2", false)).toEqual({ ok: true, value: "hunter2", secret: true });
    expect(settingDefinition("smtp.password")?.secret).toBe(true);
    expect(Object.values(SETTING_GROUPS).flatMap((g) => g.settings.filter((s) => s.secret).map((s) => s.key))).toEqual(["smtp.password"]);
  });

  // Scope names as RFC 6749 §3.3 defines scope-token (what Hydra accepts in a client's `scope`).
  it("takes the M2M scope allow-list as RFC 6749 scope tokens, normalised to single spaces without repeats", () => {
    expect(checkSetting("m2m.allowed_scopes", "  orders:read\treports:read orders:read ", false)).toEqual({
      ok: true,
      value: "orders:read reports:read",
      secret: false,
    });
    expect(checkSetting("m2m.allowed_scopes", 'orders:read "quoted"', false)).toMatchObject({ ok: false });
    expect(checkSetting("m2m.allowed_scopes", "back\\slash", false)).toMatchObject({ ok: false });
    expect(checkSetting("m2m.allowed_scopes", "   ", false)).toEqual({ ok: false, rule: "between 1 and 100 scope names" });
  });

  it("bounds the M2M token lifetime to whole minutes from 1 to 24 hours", () => {
    expect(checkSetting("m2m.max_token_lifetime_minutes", "20", false)).toEqual({ ok: true, value: "20", secret: false });
    expect(checkSetting("m2m.max_token_lifetime_minutes", "1440", false)).toMatchObject({ ok: true });
    for (const bad of ["0", "1441", "1.5", "ten"])
      expect(checkSetting("m2m.max_token_lifetime_minutes", bad, false)).toMatchObject({ ok: false });
  });

  it("takes the CAPTCHA switches as on/off and bounds the failure count and the ALTCHA difficulty", () => {
    expect(checkSetting("captcha.registration", " ON ", false)).toEqual({ ok: true, value: "on", secret: false });
    expect(checkSetting("captcha.recovery", "false", false)).toEqual({ ok: true, value: "off", secret: false });
    expect(checkSetting("captcha.registration", "maybe", false)).toEqual({ ok: false, rule: "on or off" });
    expect(checkSetting("captcha.login_after_failures", "0", false)).toEqual({ ok: true, value: "0", secret: false });
    expect(checkSetting("captcha.login_after_failures", "03", false)).toEqual({ ok: true, value: "3", secret: false });
    for (const bad of ["-1", "101", "two"]) expect(checkSetting("captcha.login_after_failures", bad, false)).toMatchObject({ ok: false });
    expect(checkSetting("captcha.difficulty", "50000", false)).toEqual({ ok: true, value: "50000", secret: false });
    for (const bad of ["999", "500001", "1e5"]) expect(checkSetting("captcha.difficulty", bad, false)).toMatchObject({ ok: false });
  });

  it("passes keys it does not know through unchanged, secret as asked", () => {
    expect(checkSetting("captcha.secret", " x ", true)).toEqual({ ok: true, value: " x ", secret: true });
    expect(checkSetting("feature.flag", "on", false)).toEqual({ ok: true, value: "on", secret: false });
  });
});

describe("the second-factor (MFA) settings", () => {
  it("stores on/off, the allowed methods in catalogue order, and whole grace days up to 90", () => {
    expect(checkSetting("mfa.required", " True ", false)).toEqual({ ok: true, value: "on", secret: false });
    expect(checkSetting("mfa.required", "off", false)).toEqual({ ok: true, value: "off", secret: false });
    expect(checkSetting("mfa.required", "sometimes", false)).toEqual({ ok: false, rule: "on or off" });
    expect(checkSetting("mfa.allowed_methods", "webauthn,totp", false)).toEqual({ ok: true, value: "totp webauthn", secret: false });
    expect(checkSetting("mfa.allowed_methods", "totp sms", false)).toEqual({
      ok: false,
      rule: "one or more of totp, webauthn, lookup_secret",
    });
    expect(checkSetting("mfa.grace_days", "090", false)).toEqual({ ok: true, value: "90", secret: false });
    for (const bad of ["91", "-1", "7.5", ""]) expect(checkSetting("mfa.grace_days", bad, false)).toMatchObject({ ok: false });
    expect(SETTING_GROUPS.mfa.settings.map((s) => s.key)).toEqual(["mfa.required", "mfa.allowed_methods", "mfa.grace_days"]);
  });
});

describe("social sign-in keys set by key", () => {
  it("seals a provider's client secret even when the secret box was left unticked, and checks each field's rule", () => {
    expect(checkSetting("social.providers.acme.client_secret", "s3cret", false)).toEqual({ ok: true, value: "s3cret", secret: true });
    expect(checkSetting("social.providers.acme.issuer", "http://idp.example.com", false)).toEqual({
      ok: false,
      rule: "Issuer must be an https URL (http is allowed only for localhost or 127.0.0.1)",
    });
    expect(checkSetting("social.providers.acme.scopes", "email  openid", false)).toEqual({
      ok: true,
      value: "email openid",
      secret: false,
    });
    expect(checkSetting("social.enabled", "off", false)).toEqual({ ok: true, value: "false", secret: false });
  });
});
