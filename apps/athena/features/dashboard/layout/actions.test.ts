import type { AuditEventInput } from "@olympus/athena-store/audit";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Admin } from "@/shared/auth/session";
import { DEFAULT_LAYOUT } from "./widgets";

/**
 * Saving and resetting a layout through adminAction, on a real `olympus`
 * database as Athena CIAM's role. Mocked: who is signed in, and the audit
 * log's storage (to read what was recorded).
 */
const state: { admin: Admin; status: "active" | "unverified"; events: AuditEventInput[]; db?: TestOlympusDatabase } = {
  admin: { id: "00000000-0000-4000-8000-00000000f1e1", email: "viewer@olympus.local", name: null, role: "viewer" },
  status: "active",
  events: [],
};
vi.mock("@/shared/auth/session", () => ({ currentSession: async () => ({ status: state.status, admin: state.admin }) }));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => ({ domain: "ciam" }) }));
vi.mock("@/shared/server/olympus-db", () => ({
  auditLog: async () => ({}),
  olympusPool: async () => {
    if (!state.db) throw new Error("no database");
    return state.db.pools.ciam;
  },
}));

const { resetDashboardLayout, saveDashboardLayout } = await import("./actions");
const { loadLayout } = await import("./store");

beforeAll(async () => {
  state.db = await startTestOlympusDatabase();
}, 120_000);
afterAll(async () => {
  await state.db?.stop();
});
beforeEach(() => {
  state.events = [];
  state.status = "active";
});

const hidden = DEFAULT_LAYOUT.map((e) => (e.id === "peak-hours" ? { ...e, visible: false } : e));

describe("saving a dashboard layout", () => {
  it("is allowed to a viewer, for their own layout only, and audited with the order and what was hidden", async () => {
    expect(await saveDashboardLayout({ widgets: hidden })).toMatchObject({ ok: true });
    const pool = state.db?.pools.ciam;
    if (!pool) throw new Error("no database");
    expect(await loadLayout(pool, "ciam", state.admin.id)).toEqual({ layout: hidden, saved: true });
    expect(state.events).toEqual([
      expect.objectContaining({
        action: "dashboard.layout.save",
        target: state.admin.id,
        outcome: "success",
        details: { order: hidden.map((e) => e.id), hidden: ["peak-hours"] },
      }),
    ]);

    expect(await resetDashboardLayout({})).toMatchObject({ ok: true });
    expect((await loadLayout(pool, "ciam", state.admin.id)).saved).toBe(false);
    expect(state.events.at(-1)).toMatchObject({ action: "dashboard.layout.reset", outcome: "success", details: { had_layout: true } });
  });

  it("refuses an invalid layout, naming the rule", async () => {
    const result = await saveDashboardLayout({ widgets: DEFAULT_LAYOUT.map((e) => ({ ...e, visible: false })) });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { widgets: "keep at least one widget shown" } } });
    expect(state.events).toEqual([]);
  });

  it("refuses, and audits, a save when IAM could not re-check the session", async () => {
    state.status = "unverified";
    expect(await saveDashboardLayout({ widgets: hidden })).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(state.events).toMatchObject([{ action: "dashboard.layout.save", outcome: "denied" }]);
  });
});
