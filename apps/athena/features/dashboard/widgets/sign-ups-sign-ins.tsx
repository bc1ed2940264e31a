"use client";

import { useId, useState } from "react";
import { ChartTable } from "../charts/chart-figure";
import { COLORS } from "../charts/chart-types";
import { LazyBarChart } from "../charts/lazy-bar-chart";
import type { DailyPoint } from "../stats/aggregate";

const RANGES = [7, 14, 30] as const;
type Range = (typeof RANGES)[number];

const SERIES = [
  { key: "signUps", name: "Sign-ups", color: COLORS.primary },
  { key: "signIns", name: "Sign-ins", color: COLORS.secondary },
];

/** Sign-ups (identities created) against sign-ins (sessions authenticated) per UTC day, over a chosen 7, 14 or 30 days. */
export function SignUpsSignInsChart({ daily, capped }: { daily: DailyPoint[]; capped: string | null }) {
  const [days, setDays] = useState<Range>(14);
  const name = useId();
  const shown = daily.slice(-days);
  const totals = shown.reduce((t, p) => ({ signUps: t.signUps + p.signUps, signIns: t.signIns + p.signIns }), { signUps: 0, signIns: 0 });
  const caption = `Sign-ups and sign-ins per day (UTC), last ${days} days: ${totals.signUps.toLocaleString("en")} sign-ups, ${totals.signIns.toLocaleString("en")} sign-ins`;
  const data = shown.map((p) => ({ label: p.day.slice(5), signUps: p.signUps, signIns: p.signIns }));
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <fieldset className="flex items-center justify-end gap-1 text-sm">
        <legend className="sr-only">Days shown</legend>
        {RANGES.map((range) => (
          <label
            key={range}
            className={`cursor-pointer rounded-md border px-2 py-0.5 has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand ${
              days === range ? "border-sky-700 bg-sky-50 text-sky-900" : "border-slate-300 text-slate-700"
            }`}
          >
            <input type="radio" name={name} value={range} checked={days === range} onChange={() => setDays(range)} className="sr-only" />
            {range} days
          </label>
        ))}
      </fieldset>
      <figure className="flex min-w-0 flex-col gap-2">
        <figcaption className="text-sm text-slate-600" data-testid="sign-ups-caption">
          {caption}
        </figcaption>
        <div aria-hidden="true">
          {/* Values on 60 bars would overlap: at 30 days the caption's totals, the tooltip and the table carry them. */}
          <LazyBarChart data={data} series={SERIES} xLabel="Day (MM-DD, UTC)" yLabel="Count" showValues={days <= 14} height={280} />
        </div>
        <ChartTable caption={caption} data={data} series={SERIES} xLabel="Day" />
      </figure>
      {capped && (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="cap-note">
          {capped}
        </p>
      )}
    </div>
  );
}
