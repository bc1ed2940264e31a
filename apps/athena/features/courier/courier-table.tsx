"use client";

import Link from "next/link";
import { Badge, EmptyState, Time } from "@/shared/ui/primitives";
import { DataTable, dataColumns } from "@/shared/data-table/data-table";

/** One courier message as the browser gets it. */
export interface CourierRow {
  id: string;
  recipient: string;
  template: string;
  subject: string;
  status: string;
  createdAt: string;
}

const STATUS_COLORS: Partial<Record<string, "amber" | "green" | "blue" | "red">> = {
  queued: "amber",
  sent: "green",
  processing: "blue",
  abandoned: "red",
};

const helper = dataColumns<CourierRow>();
const columns = helper.columns([
  helper.accessor("recipient", {
    header: "Recipient",
    cell: (info) => (
      <Link href={`/courier/${info.row.original.id}`} className="text-brand hover:underline">
        {info.getValue()}
      </Link>
    ),
  }),
  helper.accessor("template", { header: "Template", cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  helper.accessor("subject", { header: "Subject" }),
  helper.accessor("status", {
    header: "Status",
    cell: (info) => <Badge color={STATUS_COLORS[info.getValue()] ?? "gray"}>{info.getValue()}</Badge>,
  }),
  helper.accessor("createdAt", { header: "Created", cell: (info) => <Time value={info.getValue()} /> }),
]);

export function CourierTable({ rows }: { rows: CourierRow[] }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      caption="Courier messages"
      empty={<EmptyState title="No messages." />}
      testId="courier-table"
    />
  );
}
