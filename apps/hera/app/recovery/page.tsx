import type { Metadata } from "next";
import { FlowPage } from "@/components/flow-page";
import { PageShell } from "@/components/page-shell";
import { cspNonce } from "@/lib/server/cookies";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { flowForPage } from "@/lib/server/flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";

export const metadata: Metadata = { title: "Recover your account" };

export default async function RecoveryPage({ searchParams }: PageProps<"/recovery">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/recovery", params), async () => {
    const flow = await flowForPage("recovery", params);
    const nonce = await cspNonce();
    return (
      <PageShell>
        <FlowPage kind="recovery" flow={toElements.recovery(flow, nonce)} config={elementsConfig()} nonce={nonce} />
      </PageShell>
    );
  });
}
