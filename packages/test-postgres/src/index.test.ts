import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "./index";

describe("startTestPostgres", () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("runs a real PostgreSQL server that answers queries", async () => {
    const { rows } = await pg.query<{ version: number }>("select current_setting('server_version_num')::int as version");
    expect(rows[0]?.version).toBeGreaterThanOrEqual(150000);
  });

  it("creates isolated databases", async () => {
    const url = await pg.createDatabase("example_db");
    expect(url).toContain("/example_db");
    const { rows } = await pg.query<{ db: string }>("select current_database() as db", [], "example_db");
    expect(rows[0]?.db).toBe("example_db");
  });
});
