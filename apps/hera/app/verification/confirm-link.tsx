import { AutoSubmit } from "./auto-submit";
import type { PendingCode } from "@/lib/verification-link";

const FORM_ID = "hera-verification-link";

/**
 * The mailed link's one step: Kratos' own code form, already filled, posted
 * at once when JavaScript runs (one press otherwise). Kratos answers with
 * the verification page again, now saying the address is verified.
 */
export function ConfirmLink({ form }: { form: PendingCode }) {
  return (
    <section className="w-full rounded-lg border border-slate-200 bg-white p-6 text-center shadow-sm" aria-live="polite">
      <h1 className="text-lg font-semibold">Verifying your email address…</h1>
      <form id={FORM_ID} method="post" action={form.action} className="mt-4">
        <input type="hidden" name="csrf_token" value={form.csrfToken} />
        <input type="hidden" name="code" value={form.code} />
        <button
          type="submit"
          name="method"
          value="code"
          className="rounded bg-brand px-4 py-2 font-medium text-white"
          data-testid="verification-link-confirm"
        >
          Verify my email address
        </button>
      </form>
      <AutoSubmit formId={FORM_ID} address={form.address} />
    </section>
  );
}
