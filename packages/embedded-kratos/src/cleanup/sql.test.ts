import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { continuityMigrations } from "../continuity/migrations";
import { Database } from "../storage/database";
import { startKratosWithPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { parseCleanupSqlArgs, runCleanupSql } from "./command";
import { cleanupDatabase } from "./sql";

/**
 * `kratos cleanup sql` as Kratos v26.2 runs it: cmd/cleanup/sql.go
 * NewCleanupSQLCmd (flags and defaults), cmd/cliclient/cleanup.go CleanupSQL
 * (where the DSN comes from), persistence/sql/persister.go CleanupDatabase
 * (the tables, in order, one batch each, oldest first) with the
 * DeleteExpired* queries (persister_session.go, persister_continuity.go,
 * persister_{login,recovery,registration,settings,verification}.go,
 * persister_sessiontokenexchanger.go DeleteExpiredExchangers).
 */

const DATABASE = "ciam_cleanup_sql";
const MINUTE = 60_000;

describe("cleanup sql", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let identityId = "";
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);

  const q = (sql: string, params: unknown[] = []) => pg.query(sql, params, DATABASE);
  const idsOf = async (table: string) =>
    (await pg.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`, [], DATABASE)).rows.map((r) => r.id);

  const session = async (id: string, expiresAt: Date) => {
    await q(
      `INSERT INTO sessions (id, identity_id, token_hash, logout_token_hash, authenticated_at, issued_at, expires_at)
       VALUES ($1::uuid, $2, decode(md5($1::text), 'hex'), decode(md5($1::text || 'l'), 'hex'), now(), now(), $3)`,
      [id, identityId, expiresAt],
    );
  };
  const flow = (id: string, kind: string, expiresAt: Date) =>
    q(
      `INSERT INTO selfservice_flows (id, kind, type, state, ui, request_url, issued_at, expires_at)
       VALUES ($1, $2, 'browser', 'choose_method', '{}', 'http://x', now(), $3)`,
      [id, kind, expiresAt],
    );
  const container = (id: string, expiresAt: Date) =>
    q("INSERT INTO continuity_containers (id, name, expires_at) VALUES ($1, 'c', $2)", [id, expiresAt]);
  const exchanger = (id: string, createdAt: Date) =>
    q(
      "INSERT INTO session_token_exchanges (id, flow_id, init_code, return_to_code, created_at) VALUES ($1::uuid, $1::uuid, 'i', 'r', $2)",
      [id, createdAt],
    );

  const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres(DATABASE));
    // The continuity table belongs to the oidc strategy, which this config does not enable.
    for (const m of continuityMigrations) await q(m.sql);
    identityId = (
      await kratos.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: uniqueEmail("cleanup") } } })
    ).data.id;
    await kratos.close();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("CleanupDatabase: one batch per table in Kratos' order, oldest first, flows per kind, exchangers by created_at + 1h", async () => {
    await session(ID(1), ago(300 * MINUTE));
    await session(ID(2), ago(200 * MINUTE));
    await session(ID(3), new Date(now.getTime() + 60 * MINUTE));
    await container(ID(11), ago(90 * MINUTE));
    await container(ID(12), new Date(now.getTime() + MINUTE));
    await flow(ID(21), "login", ago(100 * MINUTE));
    await flow(ID(22), "login", ago(200 * MINUTE));
    await flow(ID(23), "verification", ago(MINUTE));
    await flow(ID(24), "settings", new Date(now.getTime() + MINUTE));
    await flow(ID(25), "registration", ago(MINUTE));
    // Created half an hour ago: within DeleteExpiredExchangers' one-hour margin, so it goes even with keep-last 0.
    await exchanger(ID(31), ago(30 * MINUTE));
    await exchanger(ID(32), new Date(now.getTime() + 2 * 60 * MINUTE));

    const lines: string[] = [];
    const sleeps: number[] = [];
    const db = new Database(pg.url(DATABASE), 1);
    const removed = await cleanupDatabase(db, {
      sleepMs: 5,
      keepLastMs: 0,
      batchSize: 1,
      now,
      log: (line) => lines.push(line),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    }).finally(() => db.close());
    expect(lines).toEqual([
      `Cleaning up records older than ${now.toISOString()}`,
      "Cleaning up expired sessions",
      "Cleaning up expired continuity containers",
      "Cleaning up expired login flows",
      "Cleaning up expired recovery flows",
      "Cleaning up expired registration flows",
      "Cleaning up expired settings flows",
      "Cleaning up expired verification flows",
      "Cleaning up expired session token exchangers",
      "Successfully cleaned up the latest batch of the SQL database! This should be re-run periodically, to be sure that all expired data is purged.",
    ]);
    expect(sleeps).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
    expect(Object.values(removed)).toEqual([1, 1, 1, 0, 1, 0, 1, 1]);
    // Batch size 1: only the oldest expired session and login flow went.
    expect(await idsOf("sessions")).toEqual([ID(2), ID(3)]);
    expect(await idsOf("continuity_containers")).toEqual([ID(12)]);
    expect(await idsOf("selfservice_flows")).toEqual([ID(21), ID(24)]);
    expect(await idsOf("session_token_exchanges")).toEqual([ID(32)]);
  });

  it("--keep-last keeps what expired more recently; the CLI takes the DSN as its argument with --read-from-env=false", async () => {
    await session(ID(4), ago(10 * MINUTE));
    const lines: string[] = [];
    const code = await runCleanupSql(
      [pg.url(DATABASE), "-e=false", "--keep-last", "1h", "--database.cleanup.sleep.tables", "0s", "-b", "100"],
      {},
      (line) => lines.push(line),
    );
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/^Successfully cleaned up/);
    // ID(2) expired 200 minutes ago and goes; ID(4) expired 10 minutes ago, inside the hour kept.
    expect(await idsOf("sessions")).toEqual([ID(3), ID(4)]);
    // The login flow expired 100 minutes ago goes too.
    expect(await idsOf("selfservice_flows")).toEqual([ID(24)]);
  });

  it("reads flags, environment and config files as `kratos cleanup sql` does", () => {
    expect(parseCleanupSqlArgs([], { DSN: "postgres://env" })).toEqual({
      dsn: "postgres://env",
      sleepMs: 60_000,
      batchSize: 100,
      keepLastMs: 0,
    });
    // read-from-env defaults to true: a positional DSN is ignored.
    expect(parseCleanupSqlArgs(["postgres://arg"], { DSN: "postgres://env" }).dsn).toBe("postgres://env");
    expect(() => parseCleanupSqlArgs(["postgres://arg"], {})).toThrow('required config value "dsn" was not set');
    expect(() => parseCleanupSqlArgs(["--read-from-env=false"], { DSN: "x" })).toThrow(
      'expected to get the DSN as an argument, or the "read-from-env" flag',
    );
    const dir = mkdtempSync(path.join(tmpdir(), "cleanup-"));
    const file = path.join(dir, "kratos.yml");
    writeFileSync(file, "dsn: postgres://file\ndatabase:\n  cleanup:\n    batch_size: 7\n    sleep:\n      tables: 2s\n");
    expect(parseCleanupSqlArgs(["-c", file], {})).toEqual({ dsn: "postgres://file", sleepMs: 2000, batchSize: 7, keepLastMs: 0 });
    expect(parseCleanupSqlArgs(["-c", file, "-b", "3"], { DATABASE_CLEANUP_BATCH_SIZE: "5", DSN: "postgres://env" })).toMatchObject({
      dsn: "postgres://env",
      batchSize: 3,
    });
    expect(parseCleanupSqlArgs(["-c", file], { DATABASE_CLEANUP_BATCH_SIZE: "5" }).batchSize).toBe(5);
    expect(() => parseCleanupSqlArgs(["--keep-last", "soon"], { DSN: "x" })).toThrow('time: invalid duration "soon"');
    expect(() => parseCleanupSqlArgs(["--nope"], { DSN: "x" })).toThrow("unknown flag: --nope");
  });
});
