"use client";

import dynamic from "next/dynamic";
import type { ChartProps } from "./chart-types";

/** recharts is loaded only on the dashboard and only in the browser, after the figures (and their tables) are on screen. */
const BarChart = dynamic(() => import("./bar-chart"), {
  ssr: false,
  loading: () => <div className="h-full w-full animate-pulse rounded bg-slate-100" />,
});

export function LazyBarChart(props: ChartProps) {
  const height = props.height ?? 240;
  return (
    <div style={{ height }} className="w-full min-w-0" data-testid="chart">
      <BarChart {...props} height={height} />
    </div>
  );
}
