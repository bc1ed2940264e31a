"use client";

import Link from "next/link";
import { useState } from "react";
import { Button, EmptyState, Time } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { DataTable, dataColumns } from "@/shared/data-table/data-table";
import { unlockAccounts } from "./actions";
import { describeLockedKey, LOCK_REASONS } from "./reasons";
import type { LockBucket } from "./store";

/** One locked key as the browser gets it (dates as ISO strings). */
export interface LockedRow {
  id: string;
  bucket: LockBucket;
  keyHash: string;
  identifier: string;
  failures: number;
  max: number;
  lockedAt: string;
  lockedUntil: string;
  clientIp: string | null;
}

const helper = dataColumns<LockedRow>();

/** The locked accounts with a selection, "Unlock selected", and an Unlock button on each row. */
export function LockedView({ rows, canWrite }: { rows: LockedRow[]; canWrite: boolean }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pageKey, setPageKey] = useState(rows.map((r) => r.id).join());
  const key = rows.map((r) => r.id).join();
  if (key !== pageKey) {
    setPageKey(key);
    setSelected(new Set());
  }
  const unlock = useServerAction(unlockAccounts, { onSuccess: () => setSelected(new Set()) });
  const chosen = rows.filter((r) => selected.has(r.id));
  const run = (list: LockedRow[]) => unlock.run({ keys: list.map((r) => ({ bucket: r.bucket, keyHash: r.keyHash })) });

  const columns = helper.columns([
    helper.accessor("identifier", {
      header: "Locked account",
      cell: (info) => {
        const { text, searchable } = describeLockedKey(info.getValue());
        return searchable ? (
          <Link
            href={`/identities?q=${encodeURIComponent(text)}`}
            className="break-all font-medium text-brand underline-offset-2 hover:underline"
          >
            {text}
          </Link>
        ) : (
          <span className="text-slate-700">{text}</span>
        );
      },
    }),
    helper.accessor("bucket", {
      header: "Why",
      cell: (info) => (
        <span>
          {LOCK_REASONS[info.getValue()]}: {info.row.original.failures} of {info.row.original.max}
        </span>
      ),
    }),
    helper.accessor("lockedAt", { header: "Locked at", cell: (info) => <Time value={info.getValue()} /> }),
    helper.accessor("lockedUntil", { header: "Until", cell: (info) => <Time value={info.getValue()} /> }),
    helper.accessor("clientIp", { header: "From", cell: (info) => <span className="font-mono text-xs">{info.getValue() ?? "—"}</span> }),
    helper.display({
      id: "unlock",
      header: () => <span className="sr-only">Actions</span>,
      cell: (info) => (
        <Button
          onClick={() => run([info.row.original])}
          disabled={!canWrite || unlock.pending}
          aria-label={`Unlock ${describeLockedKey(info.row.original.identifier).text}`}
        >
          Unlock
        </Button>
      ),
    }),
  ]);

  return (
    <div className="flex flex-col gap-3">
      {canWrite && rows.length > 0 && (
        <div
          role="region"
          aria-label="Bulk actions"
          className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm"
        >
          <span className="mr-2 font-medium" aria-live="polite">
            {chosen.length === 0 ? "Select accounts to unlock several at once" : `${chosen.length} selected`}
          </span>
          <Button variant="primary" onClick={() => run(chosen)} disabled={chosen.length === 0 || unlock.pending}>
            Unlock selected
          </Button>
        </div>
      )}
      <DataTable
        columns={columns}
        rows={rows}
        getRowId={(row) => row.id}
        caption="Locked accounts"
        empty={
          <EmptyState title="No account is locked right now.">
            Hera locks an identifier after too many wrong passwords or codes; it shows here until the lockout ends.
          </EmptyState>
        }
        testId="locked-table"
        rowAttributes={(row) => ({ "data-bucket": row.bucket })}
        selection={
          canWrite
            ? { selected, onChange: setSelected, label: (row) => describeLockedKey(row.identifier).text, disabled: unlock.pending }
            : undefined
        }
      />
    </div>
  );
}
