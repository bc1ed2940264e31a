import type { Metadata } from "next";
import { startupConfig } from "@olympus/runtime-config/config";
import { ChallengeError } from "@/components/challenge-error";
import { FlowPage } from "@/components/flow-page";
import { PageShell } from "@/components/page-shell";
import { cspNonce } from "@/lib/server/cookies";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { flowForPage } from "@/lib/server/flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { handleRegistrationChallenge } from "@/lib/server/oauth2-login";
import { one } from "@/lib/search-params";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegistrationPage({ searchParams }: PageProps<"/registration">) {
  const params = await searchParams;
  const challenge = one(params, "login_challenge");
  if (challenge) {
    // Hydra's urls.registration: an OAuth2 client asked for sign-up (prompt=registration).
    return renderWithOry(selfHref("/registration", params), async () => {
      await handleRegistrationChallenge(challenge);
      return <ChallengeError kind="login" />;
    });
  }
  const { domain, branding } = startupConfig();
  if (domain === "iam") {
    // IAM Kratos has registration disabled; say why instead of showing an error.
    return (
      <PageShell>
        <section data-testid="registration-invite-only" className="w-full rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
          <h1 className="text-xl font-semibold">Accounts are created by invitation</h1>
          <p className="mt-3 text-slate-700">
            {branding.productName} is for employees. You cannot sign up here: an administrator creates your account and sends you an
            invitation by email.
          </p>
          <a href="/login" className="mt-6 inline-block font-semibold text-brand underline">
            Back to sign in
          </a>
        </section>
      </PageShell>
    );
  }
  return renderWithOry(selfHref("/registration", params), async () => {
    const flow = await flowForPage("registration", params);
    const nonce = await cspNonce();
    return (
      <PageShell>
        <FlowPage kind="registration" flow={toElements.registration(flow, nonce)} config={elementsConfig()} nonce={nonce} />
      </PageShell>
    );
  });
}
