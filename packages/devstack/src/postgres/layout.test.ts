import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { applyDatabaseLayout, DATABASE_ROLES, databaseOf, type RolePasswords } from "./layout";

const PASSWORDS = Object.fromEntries(DATABASE_ROLES.map((role) => [role, `${role}_layout_test_password`])) as RolePasswords;

/** Logs in as `role` to `database`: "ok" or Postgres' error code. */
async function connectAs(server: TestPostgres, role: keyof RolePasswords, database: string): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port: server.port, user: role, password: PASSWORDS[role], database });
  client.on("error", () => {});
  try {
    await client.connect();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

describe("applyDatabaseLayout on a dev cluster made before the maintenance databases were closed", () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
    await applyDatabaseLayout(server.url(), PASSWORDS);
    // What initdb leaves and an earlier init.sql did not change.
    await server.query("GRANT CONNECT ON DATABASE postgres TO PUBLIC");
    await server.query("GRANT CONNECT ON DATABASE template1 TO PUBLIC");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("closes postgres and template1 to every role on the next start, and each role still reaches its own database", async () => {
    expect(await connectAs(server, "ciam_kratos", "postgres")).toBe("ok");
    await applyDatabaseLayout(server.url(), PASSWORDS);
    for (const role of DATABASE_ROLES) {
      expect({ role, postgres: await connectAs(server, role, "postgres"), template1: await connectAs(server, role, "template1") }).toEqual({
        role,
        postgres: "42501",
        template1: "42501",
      });
      expect(await connectAs(server, role, databaseOf(role))).toBe("ok");
    }
  });
});
