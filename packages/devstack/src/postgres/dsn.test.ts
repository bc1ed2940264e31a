import { describe, expect, it } from "vitest";
import { moveDsn, parseDsn, redactDsn } from "./dsn";

const CONFIG_DSN = "postgres://ciam_kratos:ciam_kratos_dev_password@127.0.0.1:5432/ciam_kratos?sslmode=disable";

describe("DSNs", () => {
  it("reads role, password, host, port and database", () => {
    expect(parseDsn(CONFIG_DSN, "kratos.yml")).toEqual({
      user: "ciam_kratos",
      password: "ciam_kratos_dev_password",
      host: "127.0.0.1",
      port: 5432,
      database: "ciam_kratos",
    });
  });

  it("moves a config's DSN to another server, keeping role, password, database and options", () => {
    expect(moveDsn(CONFIG_DSN, { host: "127.0.0.1", port: 15432 })).toBe(
      "postgres://ciam_kratos:ciam_kratos_dev_password@127.0.0.1:15432/ciam_kratos?sslmode=disable",
    );
  });

  it("names the source of a DSN it cannot use", () => {
    expect(() => parseDsn("not a url", "config file platform/dev/x.yml")).toThrow(/^config file platform\/dev\/x\.yml: dsn is not a URL/);
    expect(() => parseDsn("mysql://u:p@h/db", "X_DSN")).toThrow(/^X_DSN: dsn must be a postgres:\/\/ URL/);
    expect(() => parseDsn("postgres://127.0.0.1:5432/", "X_DSN")).toThrow(/must name a user, a host and a database/);
  });

  it("never prints a password", () => {
    expect(redactDsn(CONFIG_DSN)).not.toContain("ciam_kratos_dev_password");
  });
});
