import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLayout, resetLayout, saveLayout } from "./store";
import { DEFAULT_LAYOUT, layoutInput, reconcileLayout, WIDGET_IDS, type DashboardLayout } from "./widgets";

/** The layout store against a real, migrated `olympus` database, logged in as each Athena's own role. */
let db: TestOlympusDatabase;
beforeAll(async () => {
  db = await startTestOlympusDatabase();
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

const ADA = "00000000-0000-4000-8000-0000000000ad";
const BOB = "00000000-0000-4000-8000-0000000000b0";

/** The default order with `peak-hours` first and `totals` hidden. */
const customised = (): DashboardLayout => {
  const rest = DEFAULT_LAYOUT.filter((e) => e.id !== "peak-hours").map((e) => (e.id === "totals" ? { ...e, visible: false } : e));
  return [{ id: "peak-hours", visible: true }, ...rest];
};

describe("dashboard layouts", () => {
  it("gives the default to whoever never saved, and each employee their own saved layout", async () => {
    expect(await loadLayout(db.pools.ciam, "ciam", ADA)).toEqual({ layout: DEFAULT_LAYOUT, saved: false });
    await saveLayout(db.pools.ciam, "ciam", ADA, customised());
    expect(await loadLayout(db.pools.ciam, "ciam", ADA)).toEqual({ layout: customised(), saved: true });
    expect(await loadLayout(db.pools.ciam, "ciam", BOB)).toEqual({ layout: DEFAULT_LAYOUT, saved: false });

    // Saving again replaces the row; resetting removes it.
    await saveLayout(
      db.pools.ciam,
      "ciam",
      ADA,
      DEFAULT_LAYOUT.map((e) => ({ ...e, visible: e.id !== "grant-types" })),
    );
    expect((await loadLayout(db.pools.ciam, "ciam", ADA)).layout.find((e) => e.id === "grant-types")).toEqual({
      id: "grant-types",
      visible: false,
    });
    expect(await resetLayout(db.pools.ciam, "ciam", ADA)).toBe(true);
    expect(await loadLayout(db.pools.ciam, "ciam", ADA)).toEqual({ layout: DEFAULT_LAYOUT, saved: false });
    expect(await resetLayout(db.pools.ciam, "ciam", ADA)).toBe(false);
  });

  it("keeps each domain's layouts apart: the same subject has one per Athena, and neither role sees the other's rows", async () => {
    await saveLayout(db.pools.iam, "iam", BOB, customised());
    expect((await loadLayout(db.pools.ciam, "ciam", BOB)).saved).toBe(false);
    expect((await loadLayout(db.pools.iam, "iam", BOB)).saved).toBe(true);
    // Row-level security, below the `domain = $1` of the queries: the CIAM role reads no IAM row even unfiltered.
    const seen = await db.pools.ciam.query<{ domain: string }>("SELECT domain FROM olympus_dashboard_layouts");
    expect(seen.rows.map((r) => r.domain)).not.toContain("iam");
    await expect(
      db.pools.ciam.query("INSERT INTO olympus_dashboard_layouts (domain, subject, widgets) VALUES ('iam', 'x', '[]')"),
    ).rejects.toThrow(/row-level security/);
  });

  it("lets the app's role change a layout but not whose or which domain's it is", async () => {
    await saveLayout(db.pools.ciam, "ciam", ADA, customised());
    await expect(
      db.pools.ciam.query("UPDATE olympus_dashboard_layouts SET subject = 'someone-else' WHERE subject = $1", [ADA]),
    ).rejects.toThrow(/permission denied/);
    await expect(db.pools.ciam.query("TRUNCATE olympus_dashboard_layouts")).rejects.toThrow(/permission denied/);
  });

  it("reads a layout saved before a widget existed with the new widget appended, and drops widgets it no longer knows", async () => {
    const old = [
      { id: "recent-activity", visible: true },
      { id: "retired-widget", visible: true },
      { id: "totals", visible: false },
    ];
    await db.superuser(
      "INSERT INTO olympus_dashboard_layouts (domain, subject, widgets) VALUES ('ciam', 'old-layout', $1) ON CONFLICT DO NOTHING",
      [JSON.stringify(old)],
    );
    const { layout } = await loadLayout(db.pools.ciam, "ciam", "old-layout");
    expect(layout.slice(0, 2)).toEqual([
      { id: "recent-activity", visible: true },
      { id: "totals", visible: false },
    ]);
    expect(layout.map((e) => e.id).sort()).toEqual([...WIDGET_IDS].sort());
    expect(layout.slice(2).every((e) => e.visible)).toBe(true);
    // Garbage in the column falls back to the default rather than breaking the page.
    expect(reconcileLayout({ not: "an array" })).toEqual(DEFAULT_LAYOUT);
  });
});

describe("the layout a save may send", () => {
  it("takes known widgets once each, with at least one shown", () => {
    expect(layoutInput.safeParse(customised()).success).toBe(true);
    const issues = (value: unknown) => (layoutInput.safeParse(value).error?.issues ?? []).map((i) => i.message);
    expect(issues([{ id: "nope", visible: true }])).toEqual(["unknown widget"]);
    expect(
      issues([
        { id: "totals", visible: true },
        { id: "totals", visible: false },
      ]),
    ).toEqual(["each widget may appear once"]);
    expect(issues([{ id: "totals", visible: false }])).toEqual(["keep at least one widget shown"]);
    expect(issues([])).toContain("a layout names at least one widget");
    expect(issues([{ id: "totals", visible: true, extra: 1 }]).length).toBeGreaterThan(0);
  });
});
