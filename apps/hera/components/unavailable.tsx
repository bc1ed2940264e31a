import { PageShell } from "./page-shell";

/**
 * Shown when Kratos or Hydra cannot be reached or misbehave: what happened in
 * words a person can act on, and a retry. Never a stack trace.
 */
export function Unavailable({ retryHref }: { retryHref: string }) {
  return (
    <PageShell>
      <section
        role="alert"
        data-testid="service-unavailable"
        className="w-full rounded-xl border border-amber-300 bg-white p-8 text-center shadow-sm"
      >
        <h1 className="text-xl font-semibold">Sign-in is temporarily unavailable</h1>
        <p className="mt-3 text-slate-700">
          We could not reach the sign-in service. Your account is safe; nothing was changed. Please try again in a moment.
        </p>
        <a
          href={retryHref}
          className="mt-6 inline-block rounded-lg bg-brand px-5 py-2.5 font-semibold text-white hover:opacity-90"
          data-testid="retry"
        >
          Try again
        </a>
      </section>
    </PageShell>
  );
}
