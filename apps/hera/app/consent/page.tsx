import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { startupConfig } from "@olympus/runtime-config/config";
import { ChallengeError } from "@/components/challenge-error";
import { PageShell } from "@/components/page-shell";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { consentIsImplicit, grantConsent } from "@/lib/server/oauth2-consent";
import { hydra } from "@/lib/server/ory";
import { one } from "@/lib/search-params";
import { ConsentForm, type ScopeChoice } from "./consent-form";

export const metadata: Metadata = { title: "Allow access" };

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: "Know who you are (sign you in)",
  email: "See your email address",
  profile: "See your name",
  offline_access: "Stay connected when you are not using it",
  offline: "Stay connected when you are not using it",
  iam_admin_role: "See your Olympus admin role",
};

/**
 * `/consent?consent_challenge=`: shows the client, the scopes and audience it
 * asks for, with "remember". First-party clients (skip_consent) and
 * remembered answers are granted without asking.
 */
export default async function ConsentPage({ searchParams }: PageProps<"/consent">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/consent", params), async () => {
    const challenge = one(params, "consent_challenge");
    if (!challenge) return <ChallengeError kind="consent" />;
    const result = await hydra().getConsentRequest(challenge);
    if (result.status === "handled") redirect(result.redirectTo);
    if (result.status === "not_found") return <ChallengeError kind="consent" />;
    const request = result.request;

    if (await consentIsImplicit(request)) {
      redirect(await grantConsent(request, request.requested_scope ?? [], false));
    }

    const { branding } = startupConfig();
    const client = request.client;
    const clientName = client?.client_name || client?.client_id || "An application";
    const scopes: ScopeChoice[] = (request.requested_scope ?? []).map((name) => ({
      name,
      description: SCOPE_DESCRIPTIONS[name] ?? `Use "${name}"`,
      required: name === "openid",
    }));
    const audience = request.requested_access_token_audience ?? [];
    return (
      <PageShell>
        <section className="w-full rounded-xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="consent">
          <h1 className="text-xl font-semibold">
            <span data-testid="consent-client">{clientName}</span> wants to access your {branding.productName} account
          </h1>
          {client?.client_uri ? (
            <p className="mt-1 text-sm text-slate-600">
              <a className="underline" href={client.client_uri} rel="noreferrer">
                {client.client_uri}
              </a>
            </p>
          ) : null}
          {audience.length > 0 ? (
            <p className="mt-3 text-sm text-slate-700" data-testid="consent-audience">
              On behalf of: {audience.join(", ")}
            </p>
          ) : null}
          <div className="mt-6">
            <ConsentForm challenge={challenge} scopes={scopes} />
          </div>
          {client?.policy_uri || client?.tos_uri ? (
            <p className="mt-6 text-sm text-slate-600">
              {client.policy_uri ? (
                <a className="underline" href={client.policy_uri} rel="noreferrer">
                  Privacy policy
                </a>
              ) : null}
              {client.policy_uri && client.tos_uri ? " · " : null}
              {client.tos_uri ? (
                <a className="underline" href={client.tos_uri} rel="noreferrer">
                  Terms of service
                </a>
              ) : null}
            </p>
          ) : null}
        </section>
      </PageShell>
    );
  });
}
