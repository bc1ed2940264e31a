import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOMAINS, loadConfig } from "@olympus/runtime-config/config";
import { loadAthenaConfig } from "@olympus/runtime-config/config/athena";
import { EMBEDDED_ADMIN_API_TOKEN, EMBEDDED_OLYMPUS_DATABASE_URLS, embeddedAppEnv, withoutDomainVariables } from "./embedded-defaults";

describe("embeddedAppEnv", () => {
  it.each(DOMAINS.flatMap((d) => (["hera", "athena"] as const).map((a) => [d, a] as const)))(
    "%s %s gets a valid config of its own domain only",
    (domain, app) => {
      const env = embeddedAppEnv(domain, app);
      const config = loadConfig(env);
      expect(config.domain).toBe(domain);
      const other = domain === "ciam" ? "IAM_" : "CIAM_";
      expect(Object.keys(env).filter((k) => k.startsWith(other))).toEqual([]);
    },
  );

  it("gives Hera its edge: Kratos reached server-side only, the domain's own olympus role, the development limits file", () => {
    expect(loadConfig(embeddedAppEnv("iam", "hera")).kratos.publicUrl).toBe("http://127.0.0.1:4100");
    for (const domain of DOMAINS) {
      const env = embeddedAppEnv(domain, "hera");
      expect(Object.keys(env).filter((name) => name.endsWith("KRATOS_BROWSER_URL"))).toEqual([]);
      expect(env[`${domain.toUpperCase()}_OLYMPUS_DATABASE_URL`]).toBe(EMBEDDED_OLYMPUS_DATABASE_URLS[domain]);
      expect(existsSync(env[`${domain.toUpperCase()}_LIMITS_FILE`] ?? "")).toBe(true);
      expect(env[`${domain.toUpperCase()}_LIMITS_FILE`]).toMatch(new RegExp(`platform/dev/${domain}-hera/limits\\.yml$`));
    }
  });

  it("runs Hera with the production second-factor policy: required on IAM from the first sign-in, off on CIAM", () => {
    expect(loadConfig(embeddedAppEnv("iam", "hera")).mfa).toEqual({ required: true, graceDays: 0 });
    expect(loadConfig(embeddedAppEnv("ciam", "hera")).mfa).toEqual({ required: false, graceDays: 0 });
    expect(embeddedAppEnv("iam", "hera")).toMatchObject({ IAM_MFA_REQUIRED: "true", IAM_MFA_GRACE_DAYS: "0" });
  });

  it.each(DOMAINS.flatMap((d) => (["hera", "athena"] as const).map((a) => [d, a] as const)))(
    "%s %s sends its domain's admin API token, the one the dev stack's Kratos and Hydra require",
    (domain, app) => {
      expect(loadConfig(embeddedAppEnv(domain, app)).secrets.adminApiToken).toBe(EMBEDDED_ADMIN_API_TOKEN[domain]);
    },
  );

  it("puts each app on its port-table port", () => {
    expect(embeddedAppEnv("ciam", "hera").PORT).toBe("3000");
    expect(embeddedAppEnv("iam", "athena").PORT).toBe("4001");
  });
});

describe("embeddedAppEnv for Athena", () => {
  it.each(["ciam", "iam"] as const)("the embedded stack's %s Athena env is valid and its issuer is IAM Hydra", (domain) => {
    const config = loadAthenaConfig(embeddedAppEnv(domain, "athena"));
    expect(config.auth.issuerUrl).toBe("http://iam.localhost:4102");
    expect(config.secrets.adminApiToken).toBeDefined();
  });

  it.each(["ciam", "iam"] as const)("the embedded %s Athena takes a shorter window under the embedded default's own name", (domain) => {
    expect(loadAthenaConfig(embeddedAppEnv(domain, "athena")).session.revalidateSeconds).toBe(300);
    expect(loadAthenaConfig({ ...embeddedAppEnv(domain, "athena"), AUTH_SESSION_REVALIDATE_SECONDS: "2" }).session.revalidateSeconds).toBe(
      2,
    );
  });

  it("admits only sign-ins with a second factor on both embedded Athenas", () => {
    expect(loadAthenaConfig(embeddedAppEnv("ciam", "athena")).auth.mfaRequired).toBe(true);
    expect(loadAthenaConfig(embeddedAppEnv("iam", "athena")).auth.mfaRequired).toBe(true);
  });
});

describe("withoutDomainVariables", () => {
  it("strips both domains' variables and DOMAIN but keeps the rest", () => {
    expect(withoutDomainVariables({ PATH: "/bin", DOMAIN: "iam", IAM_X: "1", CIAM_Y: "2", MIAMI: "3" })).toEqual({
      PATH: "/bin",
      MIAMI: "3",
    });
  });
});
