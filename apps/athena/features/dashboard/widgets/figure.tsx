import type { ReactNode } from "react";

/** One headline number with what it counts; `testId` lets journeys read the value. */
export function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: ReactNode; testId: string }) {
  return (
    <div className="min-w-0">
      <p className="text-sm text-slate-600">{label}</p>
      <p className="text-3xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {detail && <p className="mt-1 text-xs text-slate-500">{detail}</p>}
    </div>
  );
}

/** A share as a bar; the number beside it is the text alternative. */
export function ShareBar({ share, label }: { share: number | null; label: string }) {
  const percent = share === null ? 0 : Math.round(share * 100);
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={share === null ? "no data" : `${percent}%`}
      className="mt-3 h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className="h-full rounded-full bg-sky-700" style={{ width: `${percent}%` }} />
    </div>
  );
}

export const count = (n: number) => n.toLocaleString("en");
export const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

/** A note under a figure that rests on a capped scan or a sample. */
export function CapNote({ children }: { children: ReactNode }) {
  return (
    <p className="mt-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="cap-note">
      {children}
    </p>
  );
}
