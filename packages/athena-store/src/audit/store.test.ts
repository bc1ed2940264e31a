import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "../olympus-db/test-database";
import { createAuditLog } from "./store";

let db: TestOlympusDatabase;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

const admin = { id: "6f1c0d2e-0000-4000-8000-000000000001", email: "admin@olympus.dev", role: "admin" };

describe("audit log", () => {
  it("records who, what, target, when and outcome, newest first, per domain", async () => {
    const ciam = createAuditLog({ pool: db.pools.ciam, domain: "ciam" });
    const iam = createAuditLog({ pool: db.pools.iam, domain: "iam" });
    await ciam.record({ actor: admin, action: "identity.create", target: "id-1", outcome: "success", details: { schema: "customer" } });
    await ciam.record({
      actor: { id: "v", email: "viewer@olympus.dev", role: "viewer" },
      action: "identity.delete",
      target: "id-1",
      outcome: "denied",
    });
    await iam.record({ actor: admin, action: "settings.update", target: "smtp.host", outcome: "failure" });

    const { events } = await ciam.list();
    expect(events.map((e) => [e.action, e.target, e.outcome, e.actor.email])).toEqual([
      ["identity.delete", "id-1", "denied", "viewer@olympus.dev"],
      ["identity.create", "id-1", "success", "admin@olympus.dev"],
    ]);
    expect(events[1]?.details).toEqual({ schema: "customer" });
    expect(events[1]?.occurredAt).toBeInstanceOf(Date);
    expect((await iam.list()).events.map((e) => e.action)).toEqual(["settings.update"]);
    expect(await ciam.actions()).toEqual(["identity.create", "identity.delete"]);
  });

  it("filters by action, actor, outcome and target, and pages with a cursor", async () => {
    const log = createAuditLog({ pool: db.pools.ciam, domain: "ciam" });
    for (let i = 0; i < 7; i++) await log.record({ actor: admin, action: "session.revoke", target: `s-${i}`, outcome: "success" });
    expect((await log.list({ action: "identity.delete" })).events).toHaveLength(1);
    expect((await log.list({ outcome: "denied" })).events[0]?.actor.email).toBe("viewer@olympus.dev");
    expect((await log.list({ actor: "VIEWER" })).events).toHaveLength(1);
    expect((await log.list({ actor: "%" })).events).toHaveLength(0);
    expect((await log.list({ target: "s-3" })).events).toHaveLength(1);

    const first = await log.list({ action: "session.revoke", limit: 4 });
    expect(first.events.map((e) => e.target)).toEqual(["s-6", "s-5", "s-4", "s-3"]);
    const second = await log.list({ action: "session.revoke", limit: 4, before: first.nextCursor ?? undefined });
    expect(second.events.map((e) => e.target)).toEqual(["s-2", "s-1", "s-0"]);
    expect(second.nextCursor).toBeNull();
  });

  it("is append-only: the app's role can neither update nor delete history", async () => {
    const client = await db.pools.ciam.connect();
    try {
      // Refused by privilege before the append-only trigger is even reached.
      await expect(client.query("UPDATE olympus_audit_log SET outcome = 'success'")).rejects.toThrow(/permission denied/);
      await expect(client.query("DELETE FROM olympus_audit_log")).rejects.toThrow(/permission denied/);
    } finally {
      client.release();
    }
  });

  it("keeps its append-only trigger behind the privileges: even a superuser's UPDATE, DELETE or TRUNCATE is refused", async () => {
    await expect(db.superuser("UPDATE olympus_audit_log SET outcome = 'success'")).rejects.toThrow(/append-only/);
    await expect(db.superuser("DELETE FROM olympus_audit_log")).rejects.toThrow(/append-only/);
    await expect(db.superuser("TRUNCATE olympus_audit_log")).rejects.toThrow(/append-only/);
  });

  it("refuses malformed action names", async () => {
    await expect(
      createAuditLog({ pool: db.pools.ciam, domain: "ciam" }).record({ actor: admin, action: "DROP TABLE", outcome: "success" }),
    ).rejects.toThrow(/invalid audit action/);
  });
});
