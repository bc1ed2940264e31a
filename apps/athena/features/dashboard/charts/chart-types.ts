/** What a chart takes; plain data only, since server components hand it to a client component. */
export interface ChartSeries {
  key: string;
  name: string;
  color: string;
}

export type ChartRow = { label: string } & Record<string, string | number>;

export type ValueFormat = "count" | "percent";

export interface ChartProps {
  data: ChartRow[];
  series: ChartSeries[];
  /** Axis titles: the categories' and the values'. */
  xLabel: string;
  yLabel: string;
  /** Bars run left to right with the categories down the side (long names such as schemas, grant types). */
  horizontal?: boolean;
  /** Print each bar's value on it. */
  showValues?: boolean;
  height?: number;
  format?: ValueFormat;
}

export function formatValue(value: number, format: ValueFormat = "count"): string {
  return format === "percent" ? `${Math.round(value * 100)}%` : value.toLocaleString("en");
}

/** Colours with at least 3:1 contrast on white, told apart by the legend as well as hue. */
export const COLORS = { primary: "#0369a1", secondary: "#c2410c", tertiary: "#047857" } as const;
