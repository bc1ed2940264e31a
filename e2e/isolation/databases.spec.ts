import { expect, test } from "./support/fixtures";
import { EMBEDDED_OLYMPUS_DATABASE_URLS } from "@olympus/devstack/defaults";
import {
  accessMatrix,
  asSuperuser,
  attempt,
  boundaryViolations,
  devDsn,
  onDatabase,
  readableTables,
  ROLES,
  tablesOf,
  type Access,
  type Role,
} from "./support/databases";

const dsns = Object.fromEntries(ROLES.map((role) => [role, devDsn(role)])) as Record<Role, string>;

test.describe("each database role reaches its own database only (the running stack's Postgres)", () => {
  test("every role connects to its own database and is refused on the other four", async ({ stack }) => {
    expect(stack.superuserUrl).toBeTruthy(); // the running stack's Postgres, started by the fixture
    const matrix = await accessMatrix(dsns);
    expect(matrix).toHaveLength(ROLES.length * ROLES.length);
    expect(boundaryViolations(matrix)).toEqual([]);
    // Refused by privilege (42501), not by a typo in a password or a database name.
    for (const { role, database, outcome } of matrix) expect(outcome, `${role} on ${database}`).toBe(role === database ? "ok" : "42501");
  });

  test("no role reaches the maintenance databases postgres and template1 (nor lists roles and sessions there)", async ({ stack }) => {
    expect(stack.superuserUrl).toBeTruthy(); // the running stack's Postgres, started by the fixture
    const logins = { ...dsns, olympus_iam: EMBEDDED_OLYMPUS_DATABASE_URLS.iam };
    for (const [role, dsn] of Object.entries(logins)) {
      for (const database of ["postgres", "template1"]) {
        const outcome = await attempt(onDatabase(dsn, database), async (query) => {
          await query("SELECT rolname FROM pg_roles");
          await query("SELECT pid FROM pg_stat_activity");
        });
        expect(outcome, `${role} on ${database}`).toBe("42501");
      }
    }
  });

  test("CIAM Kratos' role cannot read a single IAM Kratos table", async ({ stack }) => {
    const iamTables = await tablesOf(stack.superuserUrl, "iam_kratos");
    expect(iamTables).toEqual(expect.arrayContaining(["identities", "sessions"]));
    expect(await readableTables(dsns.ciam_kratos, "iam_kratos", iamTables)).toEqual([]);
    // And the other way round.
    expect(await readableTables(dsns.iam_kratos, "ciam_kratos", await tablesOf(stack.superuserUrl, "ciam_kratos"))).toEqual([]);
  });
});

test.describe("companion: the database checks fail on grants made by mistake", () => {
  test("CONNECT on iam_kratos and SELECT on its tables granted to ciam_kratos are both reported", async ({ stack }) => {
    const grant = ["GRANT CONNECT ON DATABASE iam_kratos TO ciam_kratos"];
    const grantTables = ["GRANT SELECT ON ALL TABLES IN SCHEMA public TO ciam_kratos"];
    try {
      await asSuperuser(stack.superuserUrl, "postgres", grant);
      await asSuperuser(stack.superuserUrl, "iam_kratos", grantTables);
      const matrix = await accessMatrix(dsns);
      expect(boundaryViolations(matrix)).toEqual(["ciam_kratos can connect to iam_kratos"]);
      expect(await readableTables(dsns.ciam_kratos, "iam_kratos", ["identities", "sessions"])).toEqual(["identities", "sessions"]);
    } finally {
      await asSuperuser(stack.superuserUrl, "iam_kratos", ["REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM ciam_kratos"]);
      await asSuperuser(stack.superuserUrl, "postgres", ["REVOKE CONNECT ON DATABASE iam_kratos FROM ciam_kratos"]);
    }
    expect(boundaryViolations(await accessMatrix(dsns))).toEqual([]);
  });

  test("a role that cannot reach its own database is reported too", () => {
    const broken: Access[] = [
      { role: "olympus", database: "olympus", outcome: "28P01" },
      { role: "olympus", database: "ciam_kratos", outcome: "42501" },
    ];
    expect(boundaryViolations(broken)).toEqual(["olympus cannot reach its own database (28P01)"]);
  });
});
