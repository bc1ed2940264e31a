import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import {
  DATABASE_ROLES,
  DATABASES,
  databaseOf,
  renderInitSql,
  renderInitStatements,
  type DatabaseRole,
  type RolePasswords,
} from "./postgres-init";

/** initdb's databases: every role could open them (and list roles and sessions there) unless init.sql says otherwise. */
const MAINTENANCE_DATABASES = ["postgres", "template1"] as const;

const passwords = Object.fromEntries(DATABASE_ROLES.map((role) => [role, `${role}-pw-'quoted'`])) as RolePasswords;

/** Tries to log in as `role` to `database`; returns "ok" or Postgres' error code. */
async function connectAs(server: TestPostgres, role: DatabaseRole, database: string): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port: server.port, user: role, password: passwords[role], database });
  try {
    await client.connect();
    await client.query("select 1");
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

describe("platform/postgres/init.sql on a real PostgreSQL", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
    for (const statement of renderInitStatements(passwords)) await server.query(statement);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("creates the five databases, each Ory one owned by its own role and olympus by the migration role", async () => {
    const { rows } = await server.query(
      "select d.datname, r.rolname from pg_database d join pg_roles r on r.oid = d.datdba where d.datname = any($1) order by 1",
      [DATABASES],
    );
    expect(rows).toEqual([...DATABASES].sort().map((name) => ({ datname: name, rolname: name === "olympus" ? "olympus_migrator" : name })));
  });

  it("gives each Athena's role CONNECT on olympus and nothing else there: no TEMPORARY, no CREATE, no role attributes", async () => {
    const { rows } = await server.query(
      `select r.rolname, has_database_privilege(r.rolname, 'olympus', 'CONNECT') as connect,
              has_database_privilege(r.rolname, 'olympus', 'TEMPORARY') as temporary, has_database_privilege(r.rolname, 'olympus', 'CREATE') as create,
              r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls
       from pg_roles r where r.rolname in ('olympus_ciam', 'olympus_iam', 'olympus_migrator') order by 1`,
    );
    const plain = { rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false };
    expect(rows).toEqual([
      { rolname: "olympus_ciam", connect: true, temporary: false, create: false, ...plain },
      { rolname: "olympus_iam", connect: true, temporary: false, create: false, ...plain },
      // The owner: it creates the schema, and only the migration step logs in as it.
      { rolname: "olympus_migrator", connect: true, temporary: true, create: true, ...plain },
    ]);
  });

  it.each(DATABASE_ROLES)("%s connects to its own database and to no other, the maintenance databases included", async (role) => {
    expect(await connectAs(server, role, databaseOf(role))).toBe("ok");
    for (const other of [...DATABASES.filter((d) => d !== databaseOf(role)), ...MAINTENANCE_DATABASES]) {
      // 42501 insufficient_privilege: "permission denied for database"
      expect({ database: other, outcome: await connectAs(server, role, other) }).toEqual({ database: other, outcome: "42501" });
    }
    // template0 never accepts connections (55000 object_not_in_prerequisite_state), whoever asks.
    expect(await connectAs(server, role, "template0")).toBe("55000");
  });

  it("keeps the superuser's own access: it still connects to postgres and template1 and creates databases", async () => {
    for (const database of MAINTENANCE_DATABASES) {
      const { rows } = await server.query("select current_database() as db", [], database);
      expect(rows).toEqual([{ db: database }]);
    }
    await server.query("CREATE DATABASE after_init");
    await server.query("DROP DATABASE after_init");
  });

  it("the check fails when the maintenance databases are left open on purpose (CONNECT granted to PUBLIC)", async () => {
    await server.query("GRANT CONNECT ON DATABASE postgres TO PUBLIC");
    try {
      expect(await connectAs(server, "iam_hydra", "postgres")).toBe("ok");
    } finally {
      await server.query("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC");
    }
    expect(await connectAs(server, "iam_hydra", "postgres")).toBe("42501");
  });

  it("splits init.sql into the statements psql would run", () => {
    const statements = renderInitStatements(passwords);
    expect(statements.filter((s) => s.startsWith("CREATE DATABASE"))).toHaveLength(5);
    expect(statements.every((s) => !s.includes("--") && !s.endsWith(";"))).toBe(true);
  });

  it("the check fails when isolation is broken on purpose (CONNECT granted to PUBLIC)", async () => {
    await server.query("GRANT CONNECT ON DATABASE iam_kratos TO PUBLIC");
    try {
      expect(await connectAs(server, "ciam_kratos", "iam_kratos")).toBe("ok");
    } finally {
      await server.query("REVOKE CONNECT ON DATABASE iam_kratos FROM PUBLIC");
    }
    expect(await connectAs(server, "ciam_kratos", "iam_kratos")).toBe("42501");
  });

  it("quotes passwords so a quote cannot break out of the literal", () => {
    expect(renderInitSql(passwords, "PASSWORD :'olympus_ciam_password';")).toBe("PASSWORD 'olympus_ciam-pw-''quoted''';");
    expect(() => renderInitSql(passwords, ":'root_password'")).toThrow(/unknown role password: root/);
    // The shared login of earlier versions is no longer a role init.sql knows.
    expect(() => renderInitSql(passwords, ":'olympus_password'")).toThrow(/unknown role password: olympus/);
  });
});
