import type { ReactNode } from "react";
import { formatValue, type ChartProps } from "./chart-types";
import { LazyBarChart } from "./lazy-bar-chart";

/**
 * A chart as a figure: the caption, the drawn chart (hidden from assistive
 * technology) and the same numbers as a visually hidden table, which is the
 * chart's text alternative and is rendered on the server.
 */
export function ChartFigure({ caption, note, ...chart }: ChartProps & { caption: string; note?: ReactNode }) {
  return (
    <figure className="flex min-w-0 flex-col gap-2">
      <figcaption className="text-sm text-slate-600">{caption}</figcaption>
      <div aria-hidden="true">
        <LazyBarChart {...chart} />
      </div>
      <ChartTable caption={caption} {...chart} />
      {note && <p className="text-xs text-slate-500">{note}</p>}
    </figure>
  );
}

export function ChartTable({
  caption,
  data,
  series,
  xLabel,
  format,
}: Pick<ChartProps, "data" | "series" | "xLabel" | "format"> & { caption: string }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{xLabel}</th>
          {series.map((s) => (
            <th key={s.key} scope="col">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            {series.map((s) => {
              const value = row[s.key];
              return <td key={s.key}>{typeof value === "number" ? formatValue(value, format) : "—"}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
