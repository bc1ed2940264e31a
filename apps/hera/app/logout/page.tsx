import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChallengeError } from "@/components/challenge-error";
import { PageShell } from "@/components/page-shell";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { hydra } from "@/lib/server/ory";
import { one } from "@/lib/search-params";
import { decideLogout } from "./actions";

export const metadata: Metadata = { title: "Sign out" };

/**
 * `/logout` (Hera's own sign-out) and `/logout?logout_challenge=` (Hydra's).
 * An RP-initiated logout goes straight to /logout/end; anything else asks.
 */
export default async function LogoutPage({ searchParams }: PageProps<"/logout">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/logout", params), async () => {
    const challenge = one(params, "logout_challenge");
    let clientName: string | undefined;
    if (challenge) {
      const result = await hydra().getLogoutRequest(challenge);
      if (result.status === "handled") redirect(result.redirectTo);
      if (result.status === "not_found") return <ChallengeError kind="logout" />;
      if (result.request.rp_initiated && one(params, "confirm") !== "true") {
        redirect(`/logout/end?logout_challenge=${encodeURIComponent(challenge)}`);
      }
      clientName = result.request.client?.client_name || result.request.client?.client_id;
    }
    return (
      <PageShell>
        <section className="w-full rounded-xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="logout">
          <h1 className="text-xl font-semibold">Sign out{clientName ? ` of ${clientName}` : ""}?</h1>
          <p className="mt-3 text-slate-700">You will need to sign in again to continue.</p>
          <form action={decideLogout} className="mt-6 flex gap-3">
            {challenge ? <input type="hidden" name="challenge" value={challenge} /> : null}
            <button
              type="submit"
              name="decision"
              value="stay"
              className="flex-1 rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-semibold hover:bg-slate-50"
              data-testid="logout-stay"
            >
              Stay signed in
            </button>
            <button
              type="submit"
              name="decision"
              value="logout"
              className="flex-1 rounded-lg bg-brand px-4 py-2.5 font-semibold text-white hover:opacity-90"
              data-testid="logout-confirm"
            >
              Sign out
            </button>
          </form>
        </section>
      </PageShell>
    );
  });
}
