import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GoTime } from "../clock/go-time";
import { Database } from "./database";

// Kratos keeps times in Postgres with microseconds: pgx encodes a time.Time
// truncated to the microsecond (pgtype TimestampCodec, encodePlan…Binary)
// and reads all six digits back; answers print them as RFC3339Nano.
describe("times through Postgres (pgx TimestampCodec)", () => {
  let pg: TestPostgres;
  let db: Database;

  beforeAll(async () => {
    pg = await startTestPostgres();
    db = new Database(await pg.createDatabase("pg_time"));
  }, 120_000);

  afterAll(async () => {
    await db.close();
    await pg.stop();
  });

  it("stores microseconds, truncating nanoseconds, and reads them back", async () => {
    const t = new GoTime(Date.UTC(2026, 11, 4, 12, 30, 16, 40), 123_789);
    const direct = await db.query<{ t: Date }>("SELECT $1::timestamptz AS t", [t]);
    expect(direct.rows[0]?.t.toISOString()).toBe("2026-12-04T12:30:16.040123Z");
    const inTx = await db.transaction((tx) => tx.query<{ t: Date }>({ text: "SELECT $1::timestamptz AS t", values: [t] }));
    expect(inTx.rows[0]?.t.toISOString()).toBe("2026-12-04T12:30:16.040123Z");
    const prepared = await db.prepared<{ t: Date }>("pg_time_t", "SELECT $1::timestamptz AS t", [t]);
    expect(prepared.rows[0]?.t.toISOString()).toBe("2026-12-04T12:30:16.040123Z");
  });

  it("stores years past 9999 and before year 1, which toISOString writes in a form Postgres refuses (the fuzz's far expiries)", async () => {
    const far = new GoTime(Date.UTC(13434, 10, 15, 9, 37, 26, 444), 886_000);
    const stored = await db.query<{ t: string }>("SELECT ($1::timestamptz AT TIME ZONE 'UTC')::text AS t", [far]);
    expect(stored.rows[0]?.t).toBe("13434-11-15 09:37:26.444886");
    const bc = new GoTime(Date.UTC(-1, 0, 2, 3, 4, 5, 6), 0);
    const old = await db.query<{ t: string }>("SELECT ($1::timestamptz AT TIME ZONE 'UTC')::text AS t", [bc]);
    expect(old.rows[0]?.t).toBe("0002-01-02 03:04:05.006 BC");
  });

  it("reads timestamps written by Postgres itself, whatever the session's zone", async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.query("SET LOCAL TIME ZONE 'Asia/Kolkata'");
      return tx.query<{ t: Date; w: Date }>("SELECT '2026-12-04 12:30:16.5Z'::timestamptz AS t, '2026-12-04 12:30:16'::timestamp AS w");
    });
    expect(rows.rows[0]?.t.toISOString()).toBe("2026-12-04T12:30:16.5Z");
    expect(rows.rows[0]?.w.toISOString()).toBe("2026-12-04T12:30:16Z");
  });
});
