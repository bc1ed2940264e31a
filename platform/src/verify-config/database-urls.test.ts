import path from "node:path";
import { describe, expect, it } from "vitest";
import { addEnvironment, edit, goodEnv, prodCopy, verify } from "./test-support";

const CIAM_KRATOS_DSN = "@postgres:5432/ciam_kratos?sslmode=${DB_SSLMODE:-prefer}\n      SECRETS_COOKIE";

/**
 * pgx (Kratos, Hydra) and node-postgres (Athena) both let a URL's query
 * string override the role, database and host named in the URL itself, so a
 * DSN that reads "ciam_kratos@…/ciam_kratos" can still open IAM's database.
 */
describe("verify-config: database URLs", () => {
  it.each([
    ["user", "user=iam_kratos", /role/],
    ["dbname", "dbname=iam_kratos", /database/],
    ["database", "database=iam_kratos", /database/],
    ["host", "host=iam-postgres", /host/],
    ["port", "port=6543", /host/],
    ["options", "options=-c%20search_path%3Diam_kratos", /server settings/],
    ["search_path", "search_path=iam_kratos", /server settings/],
    ["service", "service=iam", /service file/],
  ])("refuses a Kratos DSN whose query string sets %s", (_name, param, why) => {
    const dir = prodCopy();
    edit(path.join(dir, "compose.yml"), CIAM_KRATOS_DSN, CIAM_KRATOS_DSN.replace("prefer}", `prefer}&${param}`));
    const report = verify(dir);
    expect(report).toMatch(new RegExp(`compose.yml:services.ciam-kratos.environment.DSN: query parameter "${param.split("=")[0]}" `));
    expect(report.split("\n").find((line) => line.includes("ciam-kratos.environment.DSN: query"))).toMatch(why);
  });

  it("refuses a Hydra migration DSN that names another database in its query string", () => {
    const dir = prodCopy();
    const from = "@postgres:5432/iam_hydra?sslmode=${DB_SSLMODE:-prefer}\n    volumes:\n      - ./iam-hydra";
    edit(path.join(dir, "compose.yml"), from, from.replace("prefer}", "prefer}&dbname=ciam_hydra"));
    expect(verify(dir)).toMatch(/services.iam-hydra-migrate.environment.DSN: query parameter "dbname" would override the database/);
  });

  it("refuses Athena's settings database URL when its query string logs in as another role", () => {
    const dir = prodCopy();
    const from = "@postgres:5432/olympus?sslmode=${DB_SSLMODE:-prefer}\n    networks: [ciam, edge]";
    edit(path.join(dir, "compose.yml"), from, from.replace("prefer}", "prefer}&user=ciam_kratos"));
    expect(verify(dir)).toMatch(
      /services.ciam-athena.environment.CIAM_OLYMPUS_DATABASE_URL: query parameter "user" would override the role/,
    );
  });

  it.each([
    ["the other domain's role", "olympus_iam:${IAM_OLYMPUS_DB_PASSWORD:?set IAM_OLYMPUS_DB_PASSWORD}", "olympus_iam"],
    ["the shared login of earlier versions", "olympus:${CIAM_OLYMPUS_DB_PASSWORD:?set CIAM_OLYMPUS_DB_PASSWORD}", "olympus"],
    ["the migration role", "olympus_migrator:${OLYMPUS_MIGRATOR_DB_PASSWORD:?set OLYMPUS_MIGRATOR_DB_PASSWORD}", "olympus_migrator"],
    ["the superuser", "postgres:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "postgres"],
  ])("refuses Athena CIAM's olympus database URL when it logs in as %s", (_name, credentials, user) => {
    const dir = prodCopy();
    // Athena CIAM's URL: the one followed by its networks (Hera CIAM's comes first in the file).
    const athenaDsn =
      "postgres://olympus_ciam:${CIAM_OLYMPUS_DB_PASSWORD:?set CIAM_OLYMPUS_DB_PASSWORD}@postgres:5432/olympus?sslmode=${DB_SSLMODE:-prefer}\n    networks: [ciam, edge]";
    edit(
      path.join(dir, "compose.yml"),
      athenaDsn,
      athenaDsn.replace("olympus_ciam:${CIAM_OLYMPUS_DB_PASSWORD:?set CIAM_OLYMPUS_DB_PASSWORD}", credentials),
    );
    const report = verify(dir);
    expect(report).toMatch(
      new RegExp(
        `services.ciam-athena: environment would not start the app: .*CIAM_OLYMPUS_DATABASE_URL: logs in as "${user}"; Athena CIAM must log in as "olympus_ciam"`,
      ),
    );
    if (user !== "olympus") expect(report).toMatch(/services.ciam-athena.environment.CIAM_OLYMPUS_DATABASE_URL: uses [A-Z_]+PASSWORD, /);
  });

  it("refuses the migration role's password anywhere but postgres and olympus-migrate, and a missing olympus-migrate", () => {
    const dir = prodCopy();
    addEnvironment(dir, "iam-hera", ["STRAY: ${OLYMPUS_MIGRATOR_DB_PASSWORD:?set OLYMPUS_MIGRATOR_DB_PASSWORD}"]);
    expect(verify(dir)).toMatch(
      /services.iam-hera.environment.STRAY: uses OLYMPUS_MIGRATOR_DB_PASSWORD, which owns the olympus database; only postgres and olympus-migrate may hold it/,
    );
    edit(path.join(dir, "compose.yml"), "\n  olympus-migrate:\n", "\n  olympus-migrate-disabled:\n");
    expect(verify(dir)).toMatch(/services.olympus-migrate: is missing; it migrates the olympus database before the Athenas start/);
  });

  it("refuses an override that arrives through the env file", () => {
    const env = { ...goodEnv(), DB_SSLMODE: "prefer&user=iam_kratos" };
    expect(verify(prodCopy(), env)).toMatch(/services.ciam-kratos.environment.DSN: query parameter "user" would override the role/);
  });

  it.each(["PGUSER", "PGDATABASE", "PGHOST", "PGOPTIONS", "PGSERVICE"])("refuses %s in an Ory service's environment", (name) => {
    const dir = prodCopy();
    addEnvironment(dir, "ciam-hydra", [`${name}: iam_hydra`]);
    expect(verify(dir)).toMatch(new RegExp(`services.ciam-hydra.environment.${name}: Postgres drivers read it`));
  });

  it("accepts the documented tuning parameters", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      CIAM_KRATOS_DSN,
      CIAM_KRATOS_DSN.replace("prefer}", "prefer}&max_conns=20&max_idle_conns=4&connect_timeout=10"),
    );
    expect(verify(dir)).toBe("");
  });
});
