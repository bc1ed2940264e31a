export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3">
      <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-4 w-96 animate-pulse rounded bg-slate-200" />
      <div className="mt-4 h-64 animate-pulse rounded-lg bg-slate-200" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
