import { PageShell } from "@/components/page-shell";

export default function NotFound() {
  return (
    <PageShell>
      <section className="w-full rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <h1 className="text-xl font-semibold">Page not found</h1>
        <a href="/login" className="mt-6 inline-block font-semibold text-brand underline">
          Go to sign in
        </a>
      </section>
    </PageShell>
  );
}
