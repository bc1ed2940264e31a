"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { createColumnHelper, tableFeatures, useTable, type ColumnHelper, type RowData, type TableOptions } from "@tanstack/react-table";

/** The TanStack Table features every Athena list uses: none beyond rendering; paging, filtering and sorting happen on the server. */
const features = tableFeatures({});
export type DataTableFeatures = typeof features;

/** The column helper for a DataTable of `TData` rows. */
export function dataColumns<TData extends RowData>(): ColumnHelper<DataTableFeatures, TData> {
  return createColumnHelper<DataTableFeatures, TData>();
}

export type DataColumns<TData extends RowData> = TableOptions<DataTableFeatures, TData>["columns"];

/** Row selection kept by the caller (ids), so bulk actions can read it. */
export interface RowSelection<TData> {
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  /** Names a row for screen readers: "Select ada@example.com". */
  label: (row: TData) => string;
  disabled?: boolean;
}

export interface DataTableProps<TData extends RowData> {
  columns: DataColumns<TData>;
  rows: TData[];
  getRowId: (row: TData) => string;
  /** The table's accessible name (a caption screen readers announce; hidden on screen). */
  caption: string;
  empty: ReactNode;
  testId?: string;
  selection?: RowSelection<TData>;
  /** Extra attributes on a row, e.g. data-state for tests and styling. */
  rowAttributes?: (row: TData) => Record<`data-${string}`, string>;
}

/**
 * Athena's one table: a server-paged page of rows rendered through TanStack
 * Table, with an optional selection column of native checkboxes (Tab and
 * Space work as everywhere; each box is named after its row; the header box
 * selects the page and shows "some" as mixed). Wide tables scroll inside
 * their own box instead of widening the page.
 */
export function DataTable<TData extends RowData>({
  columns,
  rows,
  getRowId,
  caption,
  empty,
  testId,
  selection,
  rowAttributes,
}: DataTableProps<TData>) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => getRowId(row) });
  if (rows.length === 0) return <>{empty}</>;
  const ids = rows.map(getRowId);
  const selectedOnPage = selection ? ids.filter((id) => selection.selected.has(id)).length : 0;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {selection && (
                <th scope="col" className="w-10 px-3 py-2">
                  <SelectAll
                    count={selectedOnPage}
                    total={ids.length}
                    disabled={selection.disabled}
                    onChange={(all) => {
                      const next = new Set(selection.selected);
                      for (const id of ids) {
                        if (all) next.add(id);
                        else next.delete(id);
                      }
                      selection.onChange(next);
                    }}
                  />
                </th>
              )}
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="px-3 py-2 font-medium">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const checked = selection?.selected.has(row.id) ?? false;
            return (
              <tr
                key={row.id}
                className={`border-b border-slate-100 last:border-0 ${checked ? "bg-brand/5" : "hover:bg-slate-50"}`}
                {...rowAttributes?.(row.original)}
              >
                {selection && (
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      className="h-4 w-4 align-middle"
                      checked={checked}
                      disabled={selection.disabled}
                      aria-label={`Select ${selection.label(row.original)}`}
                      onChange={(event) => {
                        const next = new Set(selection.selected);
                        if (event.target.checked) next.add(row.id);
                        else next.delete(row.id);
                        selection.onChange(next);
                      }}
                    />
                  </td>
                )}
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2 align-middle">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The header box: checked when the whole page is selected, mixed when part of it is. */
function SelectAll({
  count,
  total,
  disabled,
  onChange,
}: {
  count: number;
  total: number;
  disabled: boolean | undefined;
  onChange: (all: boolean) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && count < total;
  }, [count, total]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="h-4 w-4 align-middle"
      checked={count > 0 && count === total}
      disabled={disabled}
      aria-label="Select every row on this page"
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}
