"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge, Button, EmptyState, Time } from "@/shared/ui/primitives";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { useServerAction } from "@/shared/ui/use-server-action";
import { DataTable, dataColumns } from "@/shared/data-table/data-table";
import { bulkDelete, bulkRevokeSessions, bulkSetState } from "./bulk-actions";
import type { IdentityRow } from "./rows";

const helper = dataColumns<IdentityRow>();
const columns = helper.columns([
  helper.accessor("identifier", {
    header: "Identifier",
    cell: (info) => (
      <Link href={`/identities/${info.row.original.id}`} className="font-medium text-brand underline-offset-2 hover:underline">
        {info.getValue()}
      </Link>
    ),
  }),
  helper.accessor("name", { header: "Name", cell: (info) => info.getValue() ?? <span className="text-slate-500">—</span> }),
  helper.accessor("schemaId", { header: "Schema", cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  helper.accessor("state", {
    header: "State",
    cell: (info) => <Badge color={info.getValue() === "active" ? "green" : "gray"}>{info.getValue()}</Badge>,
  }),
  helper.accessor("verified", {
    header: "Verified",
    cell: (info) => (info.getValue() ? <Badge color="blue">verified</Badge> : <span className="text-slate-600">no</span>),
  }),
  helper.accessor("createdAt", { header: "Created", cell: (info) => <Time value={info.getValue()} /> }),
]);

const count = (n: number) => (n === 1 ? "1 identity" : `${n} identities`);

/**
 * One page of identities with a selection and the bulk actions for it.
 * The selection is of this page's rows only: it is cleared when the page
 * changes or an action has run.
 */
export function IdentitiesView({ rows, emptyText, canWrite }: { rows: IdentityRow[]; emptyText: string; canWrite: boolean }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pageKey, setPageKey] = useState(rows.map((r) => r.id).join());
  const key = rows.map((r) => r.id).join();
  if (key !== pageKey) {
    // A new page of rows (paging, filtering, or the refresh after an action): start with nothing selected.
    setPageKey(key);
    setSelected(new Set());
  }
  const ids = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const clear = () => setSelected(new Set());
  const setState = useServerAction(bulkSetState, { onSuccess: clear });
  const revoke = useServerAction(bulkRevokeSessions, { onSuccess: clear });
  const remove = useServerAction(bulkDelete, { onSuccess: clear });
  const pending = setState.pending || revoke.pending || remove.pending;

  return (
    <div className="flex flex-col gap-3">
      {canWrite && rows.length > 0 && (
        <div
          role="region"
          aria-label="Bulk actions"
          className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm"
          data-testid="bulk-actions"
        >
          <span className="mr-2 font-medium" aria-live="polite">
            {ids.length === 0 ? "Select identities to act on several at once" : `${count(ids.length)} selected`}
          </span>
          <ConfirmDialog
            trigger="Deactivate"
            title={`Deactivate ${count(ids.length)}?`}
            confirmLabel={`Deactivate ${count(ids.length)}`}
            disabled={ids.length === 0 || pending}
            disabledReason="Select identities first"
            pending={setState.pending}
            onConfirm={() => setState.run({ ids, state: "inactive" })}
          >
            They can no longer sign in; their sessions end and apps they signed in to lose their tokens.
          </ConfirmDialog>
          <Button onClick={() => setState.run({ ids, state: "active" })} disabled={ids.length === 0 || pending}>
            Activate
          </Button>
          <ConfirmDialog
            trigger="Revoke sessions"
            title={`Revoke every session of ${count(ids.length)}?`}
            confirmLabel="Revoke sessions"
            disabled={ids.length === 0 || pending}
            disabledReason="Select identities first"
            pending={revoke.pending}
            onConfirm={() => revoke.run({ ids })}
          >
            They are signed out everywhere and every app they signed in to has to ask them to sign in again.
          </ConfirmDialog>
          <ConfirmDialog
            trigger="Delete"
            title={`Delete ${count(ids.length)}?`}
            confirmLabel={`Delete ${count(ids.length)}`}
            disabled={ids.length === 0 || pending}
            disabledReason="Select identities first"
            pending={remove.pending}
            onConfirm={() => remove.run({ ids, confirmedCount: ids.length })}
          >
            Their credentials, sessions and addresses are deleted with them. This cannot be undone.
          </ConfirmDialog>
          {ids.length > 0 && (
            <Button variant="ghost" onClick={clear} disabled={pending}>
              Clear selection
            </Button>
          )}
        </div>
      )}
      <DataTable
        columns={columns}
        rows={rows}
        getRowId={(row) => row.id}
        caption="Identities"
        empty={<EmptyState title={emptyText} />}
        testId="identities-table"
        rowAttributes={(row) => ({ "data-state": row.state })}
        selection={canWrite ? { selected, onChange: setSelected, label: (row) => row.identifier, disabled: pending } : undefined}
      />
    </div>
  );
}
