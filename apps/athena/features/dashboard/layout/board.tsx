"use client";

import { useState, type ReactNode } from "react";
import { Button, Card } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { resetDashboardLayout, saveDashboardLayout } from "./actions";
import { DEFAULT_LAYOUT, WIDGETS, widgetTitle, type DashboardLayout, type WidgetId } from "./widgets";

const WIDE = new Set<WidgetId>(WIDGETS.filter((w) => w.wide).map((w) => w.id));

/**
 * The dashboard's widgets in the employee's order, and the editor that
 * changes it: show or hide each widget, move it up or down (buttons, so it
 * works by keyboard and screen reader), then save it to their own layout.
 */
export function DashboardBoard({
  initial,
  saved,
  widgets,
}: {
  initial: DashboardLayout;
  saved: boolean;
  widgets: Record<WidgetId, ReactNode>;
}) {
  const [layout, setLayout] = useState(initial);
  const [isSaved, setSaved] = useState(saved);
  const [draft, setDraft] = useState<DashboardLayout | null>(null);
  const save = useServerAction(saveDashboardLayout, {
    refresh: false,
    onSuccess: () => {
      if (draft) setLayout(draft);
      setSaved(true);
      setDraft(null);
    },
  });
  const reset = useServerAction(resetDashboardLayout, {
    refresh: false,
    onSuccess: () => {
      setLayout(DEFAULT_LAYOUT);
      setSaved(false);
      setDraft(null);
    },
  });

  const move = (index: number, by: -1 | 1) =>
    setDraft((current) => {
      if (!current) return current;
      const next = [...current];
      const [entry] = next.splice(index, 1);
      if (!entry) return current;
      next.splice(index + by, 0, entry);
      return next;
    });
  const toggle = (id: WidgetId) => setDraft((current) => current?.map((e) => (e.id === id ? { ...e, visible: !e.visible } : e)) ?? null);
  const shownInDraft = draft?.filter((e) => e.visible).length ?? 0;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-end gap-2">
        <span className="mr-auto text-xs text-slate-500" data-testid="layout-source">
          {isSaved ? "Your saved layout." : "The default layout."}
        </span>
        {draft === null ? (
          <Button onClick={() => setDraft(layout)} data-testid="customize-dashboard">
            Customize dashboard
          </Button>
        ) : null}
      </div>

      {draft && (
        <Card title="Customize dashboard">
          <p className="mb-3 text-sm text-slate-600">Choose the widgets to show and their order. The layout is yours alone.</p>
          <ol className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="layout-editor">
            {draft.map((entry, index) => {
              const title = widgetTitle(entry.id);
              return (
                <li key={entry.id} className="flex items-center gap-3 px-3 py-1.5 text-sm" data-testid={`layout-row-${entry.id}`}>
                  <label className="flex flex-1 items-center gap-2">
                    <input type="checkbox" checked={entry.visible} onChange={() => toggle(entry.id)} />
                    <span>{title}</span>
                  </label>
                  <Button variant="ghost" onClick={() => move(index, -1)} disabled={index === 0} aria-label={`Move ${title} up`}>
                    ↑
                  </Button>
                  <Button
                    variant="ghost"
                    onClick={() => move(index, 1)}
                    disabled={index === draft.length - 1}
                    aria-label={`Move ${title} down`}
                  >
                    ↓
                  </Button>
                </li>
              );
            })}
          </ol>
          {shownInDraft === 0 && (
            <p role="alert" className="mt-2 text-sm text-red-700">
              Keep at least one widget shown.
            </p>
          )}
          <div className="mt-3 flex flex-wrap gap-2">
            <Button variant="primary" disabled={save.pending || shownInDraft === 0} onClick={() => save.run({ widgets: draft })}>
              {save.pending ? "Saving…" : "Save layout"}
            </Button>
            <Button onClick={() => setDraft(null)}>Cancel</Button>
            <Button variant="ghost" disabled={reset.pending || !isSaved} onClick={() => reset.run({})} className="ml-auto">
              Reset to default
            </Button>
          </div>
        </Card>
      )}

      <div className="grid gap-4 lg:grid-cols-2" data-testid="dashboard-widgets">
        {(draft ?? layout)
          .filter((entry) => entry.visible)
          .map((entry) => (
            <div key={entry.id} className={`min-w-0 ${WIDE.has(entry.id) ? "lg:col-span-2" : ""}`} data-testid={`widget-${entry.id}`}>
              <Card title={widgetTitle(entry.id)} className="h-full">
                {widgets[entry.id]}
              </Card>
            </div>
          ))}
      </div>
    </div>
  );
}
