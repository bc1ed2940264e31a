import { AddressInput } from "./address-input";
import type { ResendForm } from "@/lib/verification-link";

/**
 * Kratos answered an expired link (or code) with a new flow saying so
 * (4070005): say it plainly and offer the new mail on that flow — Kratos'
 * own email form, the address filled in when this tab just used a link for it.
 */
export function ExpiredLink({ form }: { form: ResendForm }) {
  return (
    <section className="w-full rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="verification-link-expired">
      <h1 className="text-lg font-semibold">This verification link has expired</h1>
      <p className="mt-2 text-slate-700">We can send you a new one. Check the address and ask for a new email.</p>
      <form method="post" action={form.action} className="mt-4 flex flex-col gap-3">
        <input type="hidden" name="csrf_token" value={form.csrfToken} />
        <label className="flex flex-col gap-1 text-sm font-medium">
          Email
          <AddressInput />
        </label>
        <button type="submit" name="method" value={form.method} className="rounded bg-brand px-4 py-2 font-medium text-white">
          Send a new verification email
        </button>
      </form>
    </section>
  );
}
