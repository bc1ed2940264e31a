import type { Metadata } from "next";
import { FlowPage } from "@/components/flow-page";
import { PageShell } from "@/components/page-shell";
import { cspNonce } from "@/lib/server/cookies";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { flowForPage } from "@/lib/server/flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { mailedLinkView } from "@/lib/verification-link";
import { ConfirmLink } from "./confirm-link";
import { ExpiredLink } from "./expired-link";

export const metadata: Metadata = { title: "Verify your email address" };

export default async function VerificationPage({ searchParams }: PageProps<"/verification">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/verification", params), async () => {
    const flow = await flowForPage("verification", params);
    // A mailed link lands here with its code pre-filled (or, expired, on a new flow saying so).
    const link = mailedLinkView(flow);
    if (link.kind === "confirm")
      return (
        <PageShell>
          <ConfirmLink form={link.form} />
        </PageShell>
      );
    if (link.kind === "expired")
      return (
        <PageShell>
          <ExpiredLink form={link.form} />
        </PageShell>
      );
    const nonce = await cspNonce();
    return (
      <PageShell>
        <FlowPage kind="verification" flow={toElements.verification(flow, nonce)} config={elementsConfig()} nonce={nonce} />
      </PageShell>
    );
  });
}
