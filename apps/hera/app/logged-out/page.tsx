import type { Metadata } from "next";
import { PageShell } from "@/components/page-shell";

export const metadata: Metadata = { title: "Signed out" };

/** Hydra's post-logout page when the client named none. */
export default function LoggedOutPage() {
  return (
    <PageShell>
      <section data-testid="logged-out" className="w-full rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <h1 className="text-xl font-semibold">You are signed out</h1>
        <a href="/login" className="mt-6 inline-block font-semibold text-brand underline">
          Sign in again
        </a>
      </section>
    </PageShell>
  );
}
