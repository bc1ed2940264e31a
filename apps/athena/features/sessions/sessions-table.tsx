"use client";

import Link from "next/link";
import { EmptyState, Time } from "@/shared/ui/primitives";
import { DataTable, dataColumns } from "@/shared/data-table/data-table";
import { RevokeSessionButton } from "./revoke-session-button";

/** One active session as the browser gets it. */
export interface SessionRow {
  id: string;
  identity: { id: string; label: string } | undefined;
  userAgent: string | undefined;
  ipAddress: string | undefined;
  aal: string | undefined;
  authenticatedAt: string | undefined;
  expiresAt: string | undefined;
}

const helper = dataColumns<SessionRow>();

export function SessionsTable({ rows, canWrite }: { rows: SessionRow[]; canWrite: boolean }) {
  const columns = helper.columns([
    helper.accessor("identity", {
      header: "Identity",
      cell: (info) => {
        const identity = info.getValue();
        return identity ? (
          <Link href={`/identities/${identity.id}`} className="text-brand hover:underline">
            {identity.label}
          </Link>
        ) : (
          "—"
        );
      },
    }),
    helper.accessor("userAgent", {
      header: "Device",
      cell: (info) => (
        <span className="block max-w-xs truncate" title={info.getValue()}>
          {info.getValue() ?? "—"} {info.row.original.ipAddress && <span className="text-slate-500">· {info.row.original.ipAddress}</span>}
        </span>
      ),
    }),
    helper.accessor("aal", { header: "Assurance", cell: (info) => info.getValue() ?? "—" }),
    helper.accessor("authenticatedAt", { header: "Signed in", cell: (info) => <Time value={info.getValue()} /> }),
    helper.accessor("expiresAt", { header: "Expires", cell: (info) => <Time value={info.getValue()} /> }),
    helper.display({
      id: "revoke",
      header: () => <span className="sr-only">Actions</span>,
      cell: (info) => <RevokeSessionButton sessionId={info.row.original.id} disabled={!canWrite} />,
    }),
  ]);
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      caption="Active sessions"
      empty={<EmptyState title="No active sessions." />}
      testId="sessions-table"
    />
  );
}
