import type { Metadata } from "next";
import { Login } from "@ory/elements-react/theme";
import { PageShell } from "@/components/page-shell";
import { ChallengeError } from "@/components/challenge-error";
import { cspNonce } from "@/lib/server/cookies";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { flowForPage } from "@/lib/server/flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";
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
    return (
      <PageShell>
        <Login flow={toElements.login(flow, await cspNonce())} config={elementsConfig()} />
      </PageShell>
    );
  });
}
