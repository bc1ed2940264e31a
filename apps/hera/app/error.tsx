"use client";

/**
 * Last resort for an unexpected failure while rendering: a retry, never the
 * error itself (production builds hide the message; we never print it).
 */
export default function RouteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-slate-700">Please try again. If it keeps happening, contact support.</p>
      <button type="button" onClick={reset} className="rounded-lg bg-brand px-5 py-2.5 font-semibold text-white" data-testid="retry">
        Try again
      </button>
    </main>
  );
}
