import type { Metadata } from "next";
import { FlowPage } from "@/components/flow-page";
import { PageShell } from "@/components/page-shell";
import { withIdentifierLabel } from "@/lib/identifier-label";
import { ChallengeError } from "@/components/challenge-error";
import { cspNonce } from "@/lib/server/cookies";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { flowForPage } from "@/lib/server/flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { identifierLabelFor } from "@/lib/server/identifier-label";
import { handleLoginChallenge } from "@/lib/server/oauth2-login";
import { one } from "@/lib/search-params";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/login", params), async () => {
    const challenge = one(params, "login_challenge");
    if (challenge) {
      await handleLoginChallenge(challenge, { reauthProof: one(params, "reauth") });
      return <ChallengeError kind="login" />;
    }
    const flow = await flowForPage("login", params);
    // Kratos labels the identifier from the identity schema ("Email"); one that still says "ID" gets the schema's title here.
    const labelled = withIdentifierLabel(flow, await identifierLabelFor(flow.identity_schema));
    const nonce = await cspNonce();
    return (
      <PageShell>
        <FlowPage kind="login" flow={toElements.login(labelled, nonce)} config={elementsConfig()} nonce={nonce} />
      </PageShell>
    );
  });
}
