import type { Metadata } from "next";
import { FlowPage } from "@/components/flow-page";
import { PageShell } from "@/components/page-shell";
import { SecondFactorNotice } from "@/components/second-factor-notice";
import { secondFactorNotice } from "@/lib/second-factor-notice";
import { browserCookie, cspNonce } from "@/lib/server/cookies";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { flowForPage } from "@/lib/server/flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { kratos } from "@/lib/server/ory";
import { mfaFactsFor } from "@/lib/server/second-factor";
import { SessionsPanel } from "./sessions-panel";

export const metadata: Metadata = { title: "Account settings" };

export default async function SettingsPage({ searchParams }: PageProps<"/settings">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/settings", params), async () => {
    const flow = await flowForPage("settings", params);
    const session = await kratos().toSession(await browserCookie());
    const current = session.status === "active" ? session.session : undefined;
    const nonce = await cspNonce();
    const notice = secondFactorNotice(await mfaFactsFor(current?.identity?.id), Date.now());
    return (
      <PageShell wide>
        <SecondFactorNotice notice={notice} />
        <FlowPage kind="settings" flow={toElements.settings(flow, nonce)} config={elementsConfig()} nonce={nonce} />
        <SessionsPanel current={current} />
      </PageShell>
    );
  });
}
