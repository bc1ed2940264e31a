import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Db } from "../storage/db";
import { runMigrations } from "../storage/migrations";
import { startTestPostgres, type TestPostgres } from "../testing/harness";
import { ClientRepository } from "./repository";

/**
 * Hydra v26.2.0 client/handler.go CreateClient stores created_at as
 * time.Now().UTC().Round(time.Second) (halfway rounds up); updated_at is
 * pop's microsecond stamp (persistence/sql/persister_client.go
 * CreateClient, CreateWithNetwork). Rows written by earlier Olympus
 * versions kept created_at's microseconds; migration 12 rounds them as
 * Hydra would have, and leaves updated_at alone.
 */

let pg: TestPostgres;
let db: Db;

beforeAll(async () => {
  pg = await startTestPostgres();
  db = createPool(await pg.createDatabase(`hydra_created_at_${process.pid}`));
  await runMigrations(db.pool);
});

afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

const OLD_ROWS: [id: string, createdAt: string, expected: string][] = [
  ["below-half", "2024-03-01T10:20:30.499999Z", "2024-03-01T10:20:30Z"],
  ["half", "2024-03-01T10:20:30.5Z", "2024-03-01T10:20:31Z"],
  ["above-half", "2024-12-31T23:59:59.712345Z", "2025-01-01T00:00:00Z"],
  ["whole", "2024-03-01T10:20:30Z", "2024-03-01T10:20:30Z"],
];

describe("migration 12: client created_at as Hydra's CreateClient rounds it", () => {
  it("rounds an earlier version's created_at to the second, keeps updated_at's microseconds", async () => {
    for (const [id, createdAt] of OLD_ROWS) {
      await db.pool.query(`INSERT INTO hydra_clients (id, data, created_at, updated_at) VALUES ($1, '{}', $2, $3)`, [
        id,
        createdAt,
        "2024-06-01T08:00:00.123456Z",
      ]);
    }
    // The database as an earlier version left it: migration 12 not yet applied.
    await db.pool.query("DELETE FROM hydra_schema_migrations WHERE version = 12");
    await runMigrations(db.pool);

    const repository = new ClientRepository(db);
    for (const [id, , expected] of OLD_ROWS) {
      const client = await repository.get(id);
      expect({ id, createdAt: client?.createdAt, updatedAt: client?.updatedAt }).toEqual({
        id,
        createdAt: expected,
        updatedAt: "2024-06-01T08:00:00.123456Z",
      });
    }
  });
});
