import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOryConfig, resolveOryConfigs } from "./configs";

describe("the platform/dev configs as the dev stack reads them", () => {
  it("give each of the four servers its own role and database, moved to the running Postgres", () => {
    const configs = resolveOryConfigs({ database: { host: "127.0.0.1", port: 15432 }, dsnOverrides: {} });
    expect(configs.map((c) => [c.label, c.parsedDsn.user, c.parsedDsn.database, c.parsedDsn.port])).toEqual([
      ["CIAM Kratos", "ciam_kratos", "ciam_kratos", 15432],
      ["CIAM Hydra", "ciam_hydra", "ciam_hydra", 15432],
      ["IAM Kratos", "iam_kratos", "iam_kratos", 15432],
      ["IAM Hydra", "iam_hydra", "iam_hydra", 15432],
    ]);
    expect(configs.every((c) => c.configPath.endsWith(`platform/dev/${c.id}/${c.service}.yml`))).toBe(true);
  });

  it("uses a DSN override verbatim", () => {
    const dsn = "postgres://iam_kratos:pw@db.internal:6543/iam_kratos";
    const configs = resolveOryConfigs({ database: { host: "127.0.0.1", port: 5432 }, dsnOverrides: { "ciam-kratos": dsn } });
    expect(configs[0]?.dsn).toBe(dsn);
  });

  it("stops with one message naming the file when a config is invalid", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "devstack-config-"));
    const broken = path.join(dir, "kratos.yml");
    writeFileSync(broken, "serve: [unclosed\n");
    expect(() => readOryConfig("ciam-kratos", broken)).toThrow(/^config file .*kratos\.yml is not valid YAML/);
    writeFileSync(broken, "serve:\n  public: {}\n  admin: {}\n");
    expect(() => readOryConfig("ciam-kratos", broken)).toThrow(/^config file .*kratos\.yml is invalid: dsn is missing/);
    writeFileSync(broken, "dsn: mysql://x@y/z\nserve:\n  public: {}\n  admin: {}\n");
    expect(() => readOryConfig("ciam-kratos", broken)).toThrow(/kratos\.yml: dsn must be a postgres:\/\/ URL/);
    expect(() => readOryConfig("ciam-kratos", path.join(dir, "missing.yml"))).toThrow(/^config file .*missing\.yml cannot be read/);
    rmSync(dir, { recursive: true });
  });
});
