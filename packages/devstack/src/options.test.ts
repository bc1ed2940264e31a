import { describe, expect, it } from "vitest";
import { SERVICE_PORTS } from "@olympus/runtime-config/config";
import { DevstackError } from "./errors";
import { DEFAULT_ADMIN, optionsFromEnv } from "./options";
import { DEFAULT_DATA_DIR } from "./paths";

function configError(env: Record<string, string>): string {
  try {
    optionsFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(DevstackError);
    return (error as DevstackError).message;
  }
  throw new Error("expected a configuration error");
}

describe("optionsFromEnv", () => {
  it("defaults to the port table, .olympus/, the apps and the printed default admin", () => {
    const options = optionsFromEnv({});
    expect(options.ports.ciam).toEqual(SERVICE_PORTS.ciam);
    expect(options.ports.iam).toEqual(SERVICE_PORTS.iam);
    expect(options.ports).toMatchObject({ postgres: 5432, smtp: 1025, inbox: 1080 });
    expect(options.dataDir).toBe(DEFAULT_DATA_DIR);
    expect(options.apps).toBe(true);
    expect(options.databaseUrl).toBeUndefined();
    expect(options.admin).toEqual({ ...DEFAULT_ADMIN, passwordFromEnv: false });
    expect(DEFAULT_ADMIN.password.length).toBeGreaterThanOrEqual(12);
  });

  it("runs the backend alone with OLYMPUS_DEV_APPS=0", () => {
    expect(optionsFromEnv({ OLYMPUS_DEV_APPS: "0" }).apps).toBe(false);
    expect(configError({ OLYMPUS_DEV_APPS: "maybe" })).toMatch(/^OLYMPUS_DEV_APPS: /);
  });

  it("takes the admin login from the environment and refuses a password IAM Kratos would refuse", () => {
    const options = optionsFromEnv({ OLYMPUS_ADMIN_EMAIL: "ops@example.com", OLYMPUS_ADMIN_PASSWORD: "a-long-enough-secret" });
    expect(options.admin).toEqual({ email: "ops@example.com", password: "a-long-enough-secret", passwordFromEnv: true });
    expect(configError({ OLYMPUS_ADMIN_PASSWORD: "short" })).toMatch(/^OLYMPUS_ADMIN_PASSWORD: must be at least 12 characters/);
    expect(configError({ OLYMPUS_ADMIN_EMAIL: "not-an-email" })).toMatch(/^OLYMPUS_ADMIN_EMAIL: /);
  });

  it("moves ports with OLYMPUS_POSTGRES_PORT and OLYMPUS_DEV_PORTS, naming the variable when invalid", () => {
    const options = optionsFromEnv({
      OLYMPUS_POSTGRES_PORT: "15432",
      OLYMPUS_DEV_PORTS: '{"smtp":11025,"demo":13002,"iam":{"kratosAdmin":14101}}',
    });
    expect(options.ports.postgres).toBe(15432);
    expect(options.ports.demo).toBe(13002);
    expect(options.ports.smtp).toBe(11025);
    expect(options.ports.iam).toEqual({ ...SERVICE_PORTS.iam, kratosAdmin: 14101 });
    expect(configError({ OLYMPUS_POSTGRES_PORT: "lots" })).toMatch(/^OLYMPUS_POSTGRES_PORT: /);
    expect(configError({ OLYMPUS_DEV_PORTS: "{" })).toMatch(/^OLYMPUS_DEV_PORTS: must be JSON/);
    expect(configError({ OLYMPUS_DEV_PORTS: '{"ciam":{"hera":"x"}}' })).toMatch(/^OLYMPUS_DEV_PORTS: ciam\.hera/);
    expect(configError({ OLYMPUS_DEV_PORTS: '{"redis":6379}' })).toMatch(/^OLYMPUS_DEV_PORTS: /);
  });

  it("uses an existing server with OLYMPUS_DEV_POSTGRES_URL and per-server DSN overrides", () => {
    const options = optionsFromEnv({
      OLYMPUS_DEV_POSTGRES_URL: "postgres://postgres:pw@db.internal:5433/postgres",
      IAM_KRATOS_DSN: "postgres://iam_kratos:pw@db.internal:5433/iam_kratos",
    });
    expect(options.databaseUrl).toBe("postgres://postgres:pw@db.internal:5433/postgres");
    expect(options.dsnOverrides).toEqual({ "iam-kratos": "postgres://iam_kratos:pw@db.internal:5433/iam_kratos" });
    expect(configError({ OLYMPUS_DEV_POSTGRES_URL: "mysql://x" })).toMatch(/^OLYMPUS_DEV_POSTGRES_URL: /);
    expect(configError({ CIAM_HYDRA_DSN: "sqlite://x" })).toMatch(/^CIAM_HYDRA_DSN: /);
  });
});
