"use client";

import { EmptyState, Time } from "@/shared/ui/primitives";
import { DataTable, dataColumns } from "@/shared/data-table/data-table";
import { RevokeConsent } from "./revoke-consent";

/** One consent session of the subject as the browser gets it. */
export interface ConsentRow {
  id: string;
  clientId: string | undefined;
  clientName: string | undefined;
  scopes: string;
  grantedAt: string | undefined;
  remembered: boolean;
}

const helper = dataColumns<ConsentRow>();

export function ConsentsTable({
  rows,
  subject,
  subjectLabel,
  canWrite,
}: {
  rows: ConsentRow[];
  subject: string;
  subjectLabel: string;
  canWrite: boolean;
}) {
  const columns = helper.columns([
    helper.accessor("clientId", {
      header: "Client",
      cell: (info) => (
        <>
          {info.row.original.clientName || info.getValue()} <span className="font-mono text-xs text-slate-500">{info.getValue()}</span>
        </>
      ),
    }),
    helper.accessor("scopes", { header: "Scopes", cell: (info) => <span className="text-xs">{info.getValue()}</span> }),
    helper.accessor("grantedAt", { header: "Granted", cell: (info) => <Time value={info.getValue()} /> }),
    helper.accessor("remembered", { header: "Remembered", cell: (info) => (info.getValue() ? "yes" : "no") }),
    helper.display({
      id: "revoke",
      header: () => <span className="sr-only">Actions</span>,
      cell: (info) => {
        const clientId = info.row.original.clientId;
        return clientId ? <RevokeConsent subject={subject} clientId={clientId} disabled={!canWrite} /> : null;
      },
    }),
  ]);
  return (
    <div className="flex flex-col gap-3">
      <DataTable
        columns={columns}
        rows={rows}
        getRowId={(row) => row.id}
        caption={`Consents granted by ${subjectLabel}`}
        empty={<EmptyState title={`No consents granted by ${subjectLabel}.`} />}
        testId="consents-table"
      />
      {rows.length > 0 && (
        <div>
          <RevokeConsent subject={subject} disabled={!canWrite} />
        </div>
      )}
    </div>
  );
}
