"use client";

import type { AuditOutcome } from "@olympus/athena-store/audit";
import { Badge, EmptyState, Time } from "@/shared/ui/primitives";
import { DataTable, dataColumns } from "@/shared/data-table/data-table";

/** One audit event as the browser gets it (details already as JSON text). */
export interface AuditRow {
  id: string;
  occurredAt: string;
  actor: string;
  actorRole: string | undefined;
  action: string;
  target: string | undefined;
  outcome: AuditOutcome;
  details: string;
}

const OUTCOME_COLOR = { success: "green", failure: "red", denied: "amber" } as const;

const helper = dataColumns<AuditRow>();
const columns = helper.columns([
  helper.accessor("occurredAt", {
    header: "When",
    cell: (info) => (
      <span className="whitespace-nowrap">
        <Time value={info.getValue()} />
      </span>
    ),
  }),
  helper.accessor("actor", {
    header: "Who",
    cell: (info) => (
      <>
        {info.getValue()} {info.row.original.actorRole && <span className="text-xs text-slate-500">({info.row.original.actorRole})</span>}
      </>
    ),
  }),
  helper.accessor("action", { header: "Action", cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  helper.accessor("target", {
    header: "Target",
    cell: (info) => <span className="block max-w-xs break-all font-mono text-xs">{info.getValue() ?? "—"}</span>,
  }),
  helper.accessor("outcome", {
    header: "Outcome",
    cell: (info) => <Badge color={OUTCOME_COLOR[info.getValue()]}>{info.getValue()}</Badge>,
  }),
  helper.accessor("details", {
    header: "Details",
    cell: (info) => <span className="block max-w-xs break-all font-mono text-xs text-slate-600">{info.getValue()}</span>,
  }),
]);

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      caption="Audit events"
      empty={<EmptyState title="No events match." />}
      testId="audit-table"
      rowAttributes={(row) => ({ "data-action": row.action, "data-outcome": row.outcome })}
    />
  );
}
