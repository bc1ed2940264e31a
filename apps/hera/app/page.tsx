import { redirect } from "next/navigation";
import { startupConfig } from "@olympus/runtime-config/config";
import { isOryError, type Session } from "@olympus/ory-client/kratos";
import { PageShell } from "@/components/page-shell";
import { SecondFactorNotice } from "@/components/second-factor-notice";
import { secondFactorNotice, type SecondFactorNotice as Notice } from "@/lib/second-factor-notice";
import { browserCookie } from "@/lib/server/cookies";
import { startFlowPath } from "@/lib/server/flows";
import { kratos } from "@/lib/server/ory";
import { mfaFactsFor } from "@/lib/server/second-factor";

/** Who is signed in, if anyone; the landing page still renders while Kratos is down. */
async function currentSession(): Promise<Session | undefined> {
  try {
    const result = await kratos().toSession(await browserCookie());
    // Signed in with a first factor, second factor still due: finish signing in.
    if (result.status === "aal2_required") redirect(startFlowPath("login", { aal: "aal2", return_to: `${startupConfig().publicUrl}/` }));
    return result.status === "active" ? result.session : undefined;
  } catch (error) {
    if (isOryError(error)) return undefined;
    throw error;
  }
}

/** What the signed-in person should know about the second factor the domain requires; nothing while Kratos is down. */
async function noticeFor(session: Session | undefined): Promise<Notice> {
  try {
    return secondFactorNotice(await mfaFactsFor(session?.identity?.id), Date.now());
  } catch (error) {
    if (isOryError(error)) return { kind: "none" };
    throw error;
  }
}

function emailOf(session: Session): string | undefined {
  const traits: unknown = session.identity?.traits;
  if (typeof traits !== "object" || traits === null || !("email" in traits)) return undefined;
  return typeof traits.email === "string" ? traits.email : undefined;
}

export default async function HomePage() {
  const { branding, domain } = startupConfig();
  const session = await currentSession();
  const notice = await noticeFor(session);
  // A plain sign-in at Hera (no application behind it) ends here, Kratos' default return URL: past the grace period
  // the person enrols a second factor before anything else, as an OAuth2 sign-in through Hydra does.
  if (session && notice.kind === "required") redirect("/settings");
  const link = "rounded-lg px-4 py-2.5 font-semibold";
  return (
    <PageShell>
      <section className="w-full rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">{branding.productName}</h1>
        <p data-testid="domain" className="mt-3 w-fit rounded-full bg-brand px-4 py-1 text-sm font-semibold text-white">
          Serving the {domain.toUpperCase()} domain
        </p>
        {session ? (
          <>
            {notice.kind !== "none" ? (
              <div className="mt-6">
                <SecondFactorNotice notice={notice} settingsLink />
              </div>
            ) : null}
            <p className="mt-6" data-testid="signed-in-as">
              Signed in as <strong>{emailOf(session) ?? "you"}</strong>
            </p>
            <div className="mt-6 flex flex-wrap gap-3">
              <a className={`${link} bg-brand text-white`} href="/settings">
                Account settings
              </a>
              <a className={`${link} border border-slate-300`} href="/logout">
                Sign out
              </a>
            </div>
          </>
        ) : (
          <div className="mt-6 flex flex-wrap gap-3">
            <a className={`${link} bg-brand text-white`} href="/login">
              Sign in
            </a>
            {domain === "ciam" ? (
              <a className={`${link} border border-slate-300`} href="/registration">
                Create an account
              </a>
            ) : null}
          </div>
        )}
      </section>
    </PageShell>
  );
}
