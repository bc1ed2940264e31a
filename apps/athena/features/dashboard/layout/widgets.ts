import { z } from "zod";

/**
 * The dashboard's widgets, in their default order. A layout names them by
 * id; the title is what the page and the layout editor show.
 */
export const WIDGETS = [
  { id: "totals", title: "Totals", wide: true },
  { id: "active-users", title: "Active users", wide: false },
  { id: "verification-rate", title: "Verification rate", wide: false },
  { id: "sign-ups-vs-sign-ins", title: "Sign-ups and sign-ins", wide: true },
  { id: "users-by-schema", title: "Users by schema", wide: false },
  { id: "mfa-adoption", title: "MFA adoption", wide: false },
  { id: "peak-hours", title: "Peak hours", wide: true },
  { id: "grant-types", title: "OAuth2 clients by grant type", wide: false },
  { id: "recent-activity", title: "Recent activity", wide: false },
] as const;

export type WidgetId = (typeof WIDGETS)[number]["id"];
export const WIDGET_IDS = WIDGETS.map((w) => w.id) as [WidgetId, ...WidgetId[]];

export interface LayoutEntry {
  id: WidgetId;
  visible: boolean;
}
export type DashboardLayout = LayoutEntry[];

export const DEFAULT_LAYOUT: DashboardLayout = WIDGETS.map((w) => ({ id: w.id, visible: true }));

export function widgetTitle(id: WidgetId): string {
  return WIDGETS.find((w) => w.id === id)?.title ?? id;
}

/** What a save may send: every entry a known widget, each at most once, at least one shown. */
export const layoutInput = z
  .array(z.strictObject({ id: z.enum(WIDGET_IDS, { error: "unknown widget" }), visible: z.boolean() }))
  .min(1, "a layout names at least one widget")
  .max(WIDGET_IDS.length, `a layout names at most ${WIDGET_IDS.length} widgets`)
  .refine((entries) => new Set(entries.map((e) => e.id)).size === entries.length, "each widget may appear once")
  .refine((entries) => entries.some((e) => e.visible), "keep at least one widget shown");

/**
 * A stored layout as the page uses it: entries of widgets this Athena no
 * longer knows are dropped, and widgets added since the layout was saved
 * are appended, shown, so a new widget reaches everyone once.
 */
export function reconcileLayout(stored: unknown): DashboardLayout {
  const entries = z.array(z.object({ id: z.string(), visible: z.boolean() })).safeParse(stored);
  if (!entries.success) return DEFAULT_LAYOUT;
  const known = new Set<string>(WIDGET_IDS);
  const seen = new Set<string>();
  const layout: DashboardLayout = [];
  for (const entry of entries.data) {
    if (!known.has(entry.id) || seen.has(entry.id)) continue;
    seen.add(entry.id);
    layout.push({ id: entry.id as WidgetId, visible: entry.visible });
  }
  for (const id of WIDGET_IDS) if (!seen.has(id)) layout.push({ id, visible: true });
  return layout.some((e) => e.visible) ? layout : DEFAULT_LAYOUT;
}
