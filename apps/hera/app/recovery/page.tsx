import type { Metadata } from "next";
import { Recovery } from "@ory/elements-react/theme";
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
    return (
      <PageShell>
        <Recovery flow={toElements.recovery(flow, await cspNonce())} config={elementsConfig()} />
      </PageShell>
    );
  });
}
