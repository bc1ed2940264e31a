"use client";

import {
  Bar,
  BarChart as RechartsBarChart,
  CartesianGrid,
  Label,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatValue, type ChartProps } from "./chart-types";

/**
 * A bar chart with labelled axes, a value on each bar (when there is room)
 * and a tooltip. Drawn by recharts in the browser only; the figure around it
 * (chart-figure.tsx) carries the caption and the numbers as a table, so the
 * SVG itself is hidden from assistive technology and is not focusable.
 */
export default function BarChart({
  data,
  series,
  xLabel,
  yLabel,
  horizontal = false,
  showValues = true,
  height = 240,
  format = "count",
}: ChartProps) {
  const fmt = (value: unknown) => (typeof value === "number" ? formatValue(value, format) : "");
  const categoryWidth = Math.min(180, Math.max(60, ...data.map((d) => d.label.length * 7)));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <RechartsBarChart
        data={data}
        layout={horizontal ? "vertical" : "horizontal"}
        margin={{ top: series.length > 1 ? 8 : 20, right: horizontal ? 48 : 16, bottom: 24, left: 8 }}
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={!horizontal} vertical={horizontal} />
        {horizontal ? (
          <XAxis type="number" allowDecimals={false} tickFormatter={fmt} fontSize={12}>
            <Label value={xLabel} position="insideBottom" offset={-16} fontSize={12} />
          </XAxis>
        ) : (
          <XAxis dataKey="label" interval="preserveStartEnd" minTickGap={8} fontSize={12}>
            <Label value={xLabel} position="insideBottom" offset={-16} fontSize={12} />
          </XAxis>
        )}
        {horizontal ? (
          <YAxis type="category" dataKey="label" width={categoryWidth} fontSize={12} />
        ) : (
          <YAxis allowDecimals={false} tickFormatter={fmt} fontSize={12} width={48}>
            <Label value={yLabel} angle={-90} position="insideLeft" style={{ textAnchor: "middle" }} fontSize={12} />
          </YAxis>
        )}
        <Tooltip formatter={fmt} />
        {series.length > 1 && <Legend verticalAlign="top" height={28} />}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} maxBarSize={48}>
            {showValues && (
              <LabelList dataKey={s.key} position={horizontal ? "right" : "top"} formatter={fmt} fontSize={11} fill="#334155" />
            )}
          </Bar>
        ))}
      </RechartsBarChart>
    </ResponsiveContainer>
  );
}
