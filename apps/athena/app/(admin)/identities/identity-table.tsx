"use client";

import Link from "next/link";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { Badge, EmptyState, Time } from "@/components/ui/primitives";
import type { IdentityRow } from "@/lib/server/identity-list";

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, IdentityRow>();
const columns = helper.columns([
  helper.accessor("identifier", {
    header: "Identifier",
    cell: (info) => (
      <Link href={`/identities/${info.row.original.id}`} className="font-medium text-brand underline-offset-2 hover:underline">
        {info.getValue()}
      </Link>
    ),
  }),
  helper.accessor("schemaId", { header: "Schema", cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  helper.accessor("state", { header: "State", cell: (info) => <Badge color={info.getValue() === "active" ? "green" : "gray"}>{info.getValue()}</Badge> }),
  helper.accessor("verified", { header: "Verified", cell: (info) => (info.getValue() ? <Badge color="blue">verified</Badge> : <span className="text-slate-400">no</span>) }),
  helper.accessor("createdAt", { header: "Created", cell: (info) => <Time value={info.getValue()} /> }),
]);

/** The identities of one server-side page; paging and filtering happen on the server. */
export function IdentityTable({ rows, emptyText }: { rows: IdentityRow[]; emptyText: string }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  if (rows.length === 0) return <EmptyState title={emptyText} />;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="identities-table">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="px-3 py-2 font-medium">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 last:border-0 hover:bg-slate-50">
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
