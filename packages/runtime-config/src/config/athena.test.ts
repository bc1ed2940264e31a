import { describe, expect, it } from "vitest";
import { loadAthenaConfig } from "./athena";
import { InvalidConfigError } from "./errors";
import type { Env } from "./load";

const ciamAthena: Env = {
  DOMAIN: "ciam",
  KRATOS_PUBLIC_URL: "http://127.0.0.1:3100",
  KRATOS_ADMIN_URL: "http://127.0.0.1:3101",
  HYDRA_PUBLIC_URL: "http://127.0.0.1:3102",
  HYDRA_ADMIN_URL: "http://127.0.0.1:3103",
  PUBLIC_URL: "https://admin.ciam.example.com",
  COOKIE_SECRET: "a-very-long-cookie-secret-for-tests-0001",
  AUTH_ISSUER_URL: "https://iam.example.com/",
  AUTH_CLIENT_ID: "athena-ciam",
  AUTH_CLIENT_SECRET: "a-client-secret-from-iam-hydra-0001",
  AUTH_SECRET: "a-very-long-next-auth-secret-for-tests-01",
  ENCRYPTION_KEY: "a-very-long-settings-encryption-key-for-tests",
  OLYMPUS_DATABASE_URL: "postgres://olympus_ciam:pw@db:5432/olympus",
};

const iamAthena: Env = {
  ...ciamAthena,
  DOMAIN: "iam",
  KRATOS_PUBLIC_URL: "http://127.0.0.1:4100",
  KRATOS_ADMIN_URL: "http://127.0.0.1:4101",
  HYDRA_PUBLIC_URL: "http://127.0.0.1:4102",
  HYDRA_ADMIN_URL: "http://127.0.0.1:4103",
  PUBLIC_URL: "https://admin.iam.example.com",
  OLYMPUS_DATABASE_URL: "postgres://olympus_iam:pw@db:5432/olympus",
};

function rejection(env: Env): string {
  try {
    loadAthenaConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    const message = (error as InvalidConfigError).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("loadAthenaConfig", () => {
  it("reads Athena CIAM, signing in through IAM Hydra", () => {
    const config = loadAthenaConfig(ciamAthena);
    expect(config.domain).toBe("ciam");
    expect(config.auth).toEqual({
      issuerUrl: "https://iam.example.com",
      clientId: "athena-ciam",
      clientSecret: "a-client-secret-from-iam-hydra-0001",
      secret: "a-very-long-next-auth-secret-for-tests-01",
      mfaRequired: true,
    });
    expect(config.databaseUrl).toBe("postgres://olympus_ciam:pw@db:5432/olympus");
  });

  it("takes Athena's own variables with the domain's prefix", () => {
    const { AUTH_CLIENT_ID: _id, ...rest } = ciamAthena;
    expect(loadAthenaConfig({ ...rest, CIAM_AUTH_CLIENT_ID: "athena-ciam-2" }).auth.clientId).toBe("athena-ciam-2");
  });

  it("accepts IAM Hydra by its Compose name or port for both domains", () => {
    expect(loadAthenaConfig({ ...ciamAthena, AUTH_ISSUER_URL: "http://iam-hydra:4102" }).auth.issuerUrl).toBe("http://iam-hydra:4102");
    expect(loadAthenaConfig({ ...ciamAthena, AUTH_ISSUER_URL: "http://127.0.0.1:4102/" }).auth.issuerUrl).toBe("http://127.0.0.1:4102");
    expect(loadAthenaConfig({ ...ciamAthena, AUTH_ISSUER_URL: "http://iam.localhost:4912/" }).auth.issuerUrl).toBe(
      "http://iam.localhost:4912",
    );
  });

  it("refuses a CIAM issuer even on Athena CIAM", () => {
    expect(rejection({ ...ciamAthena, AUTH_ISSUER_URL: "https://ciam.example.com" })).toContain(
      'AUTH_ISSUER_URL: host "ciam.example.com" belongs to the ciam domain; Athena signs employees in through IAM Hydra only',
    );
    expect(rejection({ ...ciamAthena, AUTH_ISSUER_URL: "http://127.0.0.1:3102" })).toContain(
      "AUTH_ISSUER_URL: port 3102 is in the ciam range",
    );
    expect(rejection({ ...ciamAthena, AUTH_ISSUER_URL: "http://iam.localhost:3102" })).toContain(
      "AUTH_ISSUER_URL: port 3102 is in the ciam range",
    );
  });

  it("refuses an IAM URL that is not Hydra's public port, and an unrecognisable issuer", () => {
    expect(rejection({ ...ciamAthena, AUTH_ISSUER_URL: "http://127.0.0.1:4103" })).toContain(
      "AUTH_ISSUER_URL: port 4103 is not IAM Hydra's public port (4102)",
    );
    expect(rejection({ ...ciamAthena, AUTH_ISSUER_URL: "https://login.example.com" })).toContain(
      'cannot tell that "login.example.com" is IAM Hydra',
    );
  });

  it("refuses a prefixed issuer variable", () => {
    expect(rejection({ ...ciamAthena, IAM_AUTH_ISSUER_URL: "https://iam.example.com" })).toContain(
      "IAM_AUTH_ISSUER_URL: the issuer is IAM Hydra for both domains; set AUTH_ISSUER_URL without a prefix",
    );
  });

  it("refuses the other domain's Athena variables", () => {
    expect(rejection({ ...ciamAthena, IAM_AUTH_CLIENT_SECRET: "x".repeat(40) })).toContain(
      "IAM_AUTH_CLIENT_SECRET: belongs to the iam domain",
    );
    expect(rejection({ ...ciamAthena, IAM_ENCRYPTION_KEY: "x".repeat(40) })).toContain("IAM_ENCRYPTION_KEY: belongs to the iam domain");
  });

  it("names each missing variable", () => {
    const message = rejection({
      ...ciamAthena,
      AUTH_ISSUER_URL: undefined,
      AUTH_SECRET: undefined,
      ENCRYPTION_KEY: undefined,
      OLYMPUS_DATABASE_URL: undefined,
    });
    for (const name of ["AUTH_SECRET", "ENCRYPTION_KEY", "OLYMPUS_DATABASE_URL"]) expect(message).toContain(name);
    expect(message).toContain("AUTH_ISSUER_URL: is missing");
  });

  it("refuses a short or example encryption key and auth secret in production", () => {
    expect(rejection({ ...ciamAthena, ENCRYPTION_KEY: "short" })).toContain("ENCRYPTION_KEY: must be at least 32 characters, got 5");
    expect(rejection({ ...ciamAthena, ENCRYPTION_KEY: "dev-encryption-key-ciam-not-for-production-0123" })).toContain(
      "ENCRYPTION_KEY: is an example value",
    );
    expect(rejection({ ...ciamAthena, AUTH_SECRET: "dev-auth-secret-athena-ciam-not-for-production" })).toContain(
      "AUTH_SECRET: is an example value",
    );
    expect(
      loadAthenaConfig({ ...ciamAthena, OLYMPUS_ENV: "development", ENCRYPTION_KEY: "dev-encryption-key-ciam-not-for-production-0123" })
        .encryptionKey,
    ).toMatch(/^dev-/);
  });

  it("refuses a settings database that is not postgres or is one of Ory's databases", () => {
    expect(rejection({ ...ciamAthena, OLYMPUS_DATABASE_URL: "mysql://x@db/olympus" })).toContain(
      "OLYMPUS_DATABASE_URL: must be a postgres:// URL",
    );
    expect(rejection({ ...ciamAthena, OLYMPUS_DATABASE_URL: "postgres://olympus_ciam:y@db:5432/ciam_kratos" })).toContain(
      'points at "ciam_kratos", an Ory database',
    );
  });

  it("logs in to the olympus database as its own domain's role only", () => {
    expect(loadAthenaConfig(iamAthena).databaseUrl).toBe("postgres://olympus_iam:pw@db:5432/olympus");
    for (const user of ["olympus_iam", "olympus", "olympus_migrator", "postgres"]) {
      expect(rejection({ ...ciamAthena, OLYMPUS_DATABASE_URL: `postgres://${user}:pw@db:5432/olympus` })).toContain(
        `OLYMPUS_DATABASE_URL: logs in as "${user}"; Athena CIAM must log in as "olympus_ciam"`,
      );
    }
    expect(
      rejection({ ...iamAthena, IAM_OLYMPUS_DATABASE_URL: "postgres://olympus_ciam:pw@db:5432/olympus", OLYMPUS_DATABASE_URL: undefined }),
    ).toContain('IAM_OLYMPUS_DATABASE_URL: logs in as "olympus_ciam"; Athena IAM must log in as "olympus_iam"');
    expect(rejection({ ...ciamAthena, OLYMPUS_DATABASE_URL: "postgres://olympus_ciam:pw@db:5432/olympus?user=olympus_iam" })).toContain(
      'logs in as "olympus_iam"',
    );
    expect(rejection({ ...ciamAthena, OLYMPUS_DATABASE_URL: "postgres://db:5432/olympus" })).toContain(
      "OLYMPUS_DATABASE_URL: names no role",
    );
  });

  it("re-validates sessions every 5 minutes unless a shorter window is set", () => {
    expect(loadAthenaConfig(ciamAthena).session.revalidateSeconds).toBe(300);
    expect(loadAthenaConfig({ ...ciamAthena, AUTH_SESSION_REVALIDATE_SECONDS: "3" }).session.revalidateSeconds).toBe(3);
    expect(loadAthenaConfig({ ...ciamAthena, CIAM_AUTH_SESSION_REVALIDATE_SECONDS: "60" }).session.revalidateSeconds).toBe(60);
    for (const value of ["0", "301", "3600", "1.5", "-1", "5s", "abc"]) {
      expect(rejection({ ...ciamAthena, AUTH_SESSION_REVALIDATE_SECONDS: value })).toContain(
        `AUTH_SESSION_REVALIDATE_SECONDS: must be a whole number of seconds from 1 to 300, got "${value}"`,
      );
    }
    expect(rejection({ ...ciamAthena, IAM_AUTH_SESSION_REVALIDATE_SECONDS: "3" })).toContain(
      "IAM_AUTH_SESSION_REVALIDATE_SECONDS: belongs to the iam domain",
    );
  });

  it("admits only sign-ins with a second factor unless AUTH_MFA_REQUIRED=false, for both Athenas", () => {
    expect(loadAthenaConfig(ciamAthena).auth.mfaRequired).toBe(true);
    // Athena CIAM's own domain policy (CIAM: not required) has no say over how employees sign in.
    expect(loadAthenaConfig(ciamAthena).mfa.required).toBe(false);
    expect(loadAthenaConfig({ ...ciamAthena, AUTH_MFA_REQUIRED: "TRUE" }).auth.mfaRequired).toBe(true);
    expect(loadAthenaConfig({ ...ciamAthena, AUTH_MFA_REQUIRED: "false" }).auth.mfaRequired).toBe(false);
    expect(rejection({ ...ciamAthena, AUTH_MFA_REQUIRED: "no" })).toContain('AUTH_MFA_REQUIRED: must be "true" or "false", got "no"');
    expect(rejection({ ...ciamAthena, CIAM_AUTH_MFA_REQUIRED: "false" })).toContain(
      "CIAM_AUTH_MFA_REQUIRED: the second-factor requirement is IAM's for both Athenas; set AUTH_MFA_REQUIRED without a prefix",
    );
  });

  it("opens the machine API to one client on Athena IAM only", () => {
    expect(loadAthenaConfig(iamAthena).machine.clientId).toBeUndefined();
    expect(loadAthenaConfig({ ...iamAthena, IAM_MACHINE_CLIENT_ID: "olympus-control-plane-acme" }).machine.clientId).toBe(
      "olympus-control-plane-acme",
    );
    expect(rejection({ ...iamAthena, MACHINE_CLIENT_ID: "has spaces" })).toContain("MACHINE_CLIENT_ID: must be an OAuth2 client id");
    expect(rejection({ ...ciamAthena, CIAM_MACHINE_CLIENT_ID: "olympus-control-plane-acme" })).toContain(
      "CIAM_MACHINE_CLIENT_ID: is for Athena IAM only",
    );
  });

  it("reports common and Athena problems together", () => {
    const message = rejection({ ...ciamAthena, KRATOS_ADMIN_URL: undefined, AUTH_CLIENT_ID: undefined });
    expect(message).toContain("KRATOS_ADMIN_URL");
    expect(message).toContain("AUTH_CLIENT_ID");
  });
});

describe("loadAthenaConfig: COOKIE_SECRET is Hera's alone", () => {
  it("starts without one and holds none (Compose gives Athena no cookie secret)", () => {
    const withoutCookieSecret = { ...ciamAthena, COOKIE_SECRET: undefined };
    const config = loadAthenaConfig(withoutCookieSecret);
    expect(config.secrets).toEqual({ adminApiToken: undefined });
    expect(JSON.stringify(config)).not.toContain("a-very-long-cookie-secret-for-tests-0001");
  });

  it("still refuses the other domain's cookie secret: its presence means a mixed-up deployment", () => {
    expect(rejection({ ...ciamAthena, IAM_COOKIE_SECRET: "x".repeat(40) })).toContain("IAM_COOKIE_SECRET: belongs to the iam domain");
  });
});
