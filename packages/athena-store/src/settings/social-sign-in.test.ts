import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "../olympus-db/test-database";
import { deriveEncryptionKey } from "./crypto";
import { settingsReader } from "./prefix-read";
import { parseSocialProviderKey, readSocialSignIn, SOCIAL_RULES, socialSignInFromSettings } from "./social-sign-in";
import { createSettingsStore } from "./store";

const KEY = deriveEncryptionKey("social-sign-in-test-encryption-key-0123456789", "production");

describe("social provider rules: each message names the field and the rule", () => {
  it.each([
    ["https://accounts.example.com", true],
    ["http://localhost:4444/", true],
    ["http://127.0.0.1:8080/realms/x", true],
    ["http://accounts.example.com", false],
    ["ftp://accounts.example.com", false],
    ["https://user:pw@accounts.example.com", false],
    ["https://accounts.example.com/?tenant=1", false],
    ["not a url", false],
  ])("issuer %s → accepted %s", (text, accepted) => {
    const checked = SOCIAL_RULES.issuer(text);
    expect(checked.ok).toBe(accepted);
    if (!checked.ok) expect(checked.rule).toMatch(/^Issuer must/);
  });

  it("says why an http issuer is refused", () => {
    expect(SOCIAL_RULES.issuer("http://idp.example.com")).toEqual({
      ok: false,
      rule: "Issuer must be an https URL (http is allowed only for localhost or 127.0.0.1)",
    });
  });

  it("needs openid among the scopes and drops repeats", () => {
    expect(SOCIAL_RULES.scopes("email profile")).toEqual({ ok: false, rule: "Scopes must include openid" });
    expect(SOCIAL_RULES.scopes(" openid  email openid ")).toEqual({ ok: true, value: ["openid", "email"] });
  });

  it("checks the provider id as Kratos' callback URL needs it, the label's length and the client id", () => {
    expect(SOCIAL_RULES.id("google").ok).toBe(true);
    expect(SOCIAL_RULES.id("-google").ok).toBe(false);
    expect(SOCIAL_RULES.id("Google").ok).toBe(false);
    expect(SOCIAL_RULES.id("a".repeat(33)).ok).toBe(false);
    expect(SOCIAL_RULES.label("x".repeat(41))).toEqual({ ok: false, rule: "Button label must be 1 to 40 characters" });
    expect(SOCIAL_RULES.label("  ")).toEqual({ ok: false, rule: "Button label must be 1 to 40 characters" });
    expect(SOCIAL_RULES.clientId(" ")).toEqual({ ok: false, rule: "Client id must not be empty" });
  });

  it("splits provider keys into id and field", () => {
    expect(parseSocialProviderKey("social.providers.my-idp.client_secret")).toEqual({ id: "my-idp", field: "client_secret" });
    expect(parseSocialProviderKey("social.providers.my-idp.colour")).toBeUndefined();
    expect(parseSocialProviderKey("social.providers.My.issuer")).toBeUndefined();
  });
});

const complete = (id: string) =>
  new Map([
    [`social.providers.${id}.issuer`, "https://idp.example.com"],
    [`social.providers.${id}.client_id`, "athena"],
    [`social.providers.${id}.client_secret`, "s3cret"],
    [`social.providers.${id}.scopes`, "openid email"],
    [`social.providers.${id}.label`, "Sign in with IdP"],
  ]);

describe("social sign-in from stored settings", () => {
  it("is on by default for CIAM and off for IAM", () => {
    expect(socialSignInFromSettings("ciam", new Map())).toEqual({ enabled: true, providers: [], invalid: [] });
    expect(socialSignInFromSettings("iam", new Map())).toEqual({ enabled: false, providers: [], invalid: [] });
    expect(socialSignInFromSettings("iam", new Map([["social.enabled", "true"]])).enabled).toBe(true);
  });

  it("leaves out a provider with a missing or broken field and names the key, never the value", () => {
    const stored = new Map([...complete("good"), ...complete("broken"), ...complete("partial")]);
    stored.set("social.providers.broken.issuer", "http://idp.example.com");
    stored.delete("social.providers.partial.client_secret");
    const result = socialSignInFromSettings("ciam", stored);
    expect(result.providers.map((p) => p.id)).toEqual(["good"]);
    expect(result.invalid.sort()).toEqual(["social.providers.broken.issuer", "social.providers.partial.client_secret"]);
  });
});

describe("readSocialSignIn against the olympus database", () => {
  let db: TestOlympusDatabase;
  beforeAll(async () => {
    db = await startTestOlympusDatabase();
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
  });
  beforeEach(async () => {
    await db.superuser("TRUNCATE olympus_settings");
  });

  it("unseals the client secret and returns each provider in Kratos' shape, for its own domain only", async () => {
    const store = createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: KEY });
    await store.set(
      [
        { key: "social.enabled", value: "true", secret: false },
        { key: "social.providers.acme.issuer", value: "https://login.acme.test", secret: false },
        { key: "social.providers.acme.client_id", value: "olympus", secret: false },
        { key: "social.providers.acme.client_secret", value: "top-secret", secret: true },
        { key: "social.providers.acme.scopes", value: "openid email profile", secret: false },
        { key: "social.providers.acme.label", value: "Acme", secret: false },
        {
          key: "social.providers.acme.mapper",
          value: "local claims = std.extVar('claims'); {identity: {traits: {email: claims.email}}}",
          secret: false,
        },
        { key: "socialite.other", value: "x", secret: false },
      ],
      "test",
    );
    const sealed = await db.superuser("SELECT value FROM olympus_settings WHERE key = 'social.providers.acme.client_secret'");
    expect(JSON.stringify(sealed.rows)).not.toContain("top-secret");

    const read = settingsReader({ pool: (domain) => db.pools[domain], key: KEY });
    expect(await readSocialSignIn(read, "ciam")).toEqual({
      enabled: true,
      providers: [
        {
          id: "acme",
          label: "Acme",
          issuer: "https://login.acme.test",
          clientId: "olympus",
          clientSecret: "top-secret",
          scopes: ["openid", "email", "profile"],
          mapper: "local claims = std.extVar('claims'); {identity: {traits: {email: claims.email}}}",
        },
      ],
      invalid: [],
    });
    expect(await readSocialSignIn(read, "iam")).toEqual({ enabled: false, providers: [], invalid: [] });
  });
});

describe("SettingsStore.change: a provider's keys written and removed in one transaction", () => {
  let db: TestOlympusDatabase;
  beforeAll(async () => {
    db = await startTestOlympusDatabase();
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
  });

  it("seals secrets, removes keys and rolls everything back when one write fails", async () => {
    const store = createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: KEY });
    await store.change(
      {
        set: [
          { key: "social.providers.x.client_secret", value: "sealed-please", secret: true },
          { key: "social.providers.x.mapper", value: "{}", secret: false },
        ],
        remove: [],
      },
      "test",
    );
    expect((await store.list()).find((s) => s.key === "social.providers.x.client_secret")?.secret).toBe(true);
    expect(await store.change({ set: [], remove: ["social.providers.x.mapper", "social.providers.x.nothing"] }, "test")).toEqual({
      removed: ["social.providers.x.mapper"],
    });
    // A value the table refuses (a NUL byte) after one it took: neither stays, nor does the removal asked for.
    await expect(
      store.change(
        {
          set: [
            { key: "social.providers.x.label", value: "fine", secret: false },
            { key: "social.providers.x.scopes", value: "bad\0", secret: false },
          ],
          remove: ["social.providers.x.client_secret"],
        },
        "test",
      ),
    ).rejects.toThrow();
    expect(await store.get("social.providers.x.label")).toBeUndefined();
    expect(await store.get("social.providers.x.client_secret")).toBe("sealed-please");
  });
});
