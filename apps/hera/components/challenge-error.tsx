import { startupConfig } from "@olympus/runtime-config/config";
import { PageShell } from "./page-shell";

const WHAT = { login: "sign-in", consent: "permission", logout: "sign-out" } as const;

/** A login/consent/logout challenge this domain's Hydra does not know (expired, or meant for the other domain). */
export function ChallengeError({ kind }: { kind: keyof typeof WHAT }) {
  const { branding } = startupConfig();
  return (
    <PageShell>
      <section
        role="alert"
        data-testid="challenge-error"
        className="w-full rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm"
      >
        <h1 className="text-xl font-semibold">This {WHAT[kind]} request is no longer valid</h1>
        <p className="mt-3 text-slate-700">
          It has expired or was not meant for {branding.productName}. Go back to the application you came from and start again.
        </p>
      </section>
    </PageShell>
  );
}
