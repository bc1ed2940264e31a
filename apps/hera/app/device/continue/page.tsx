import type { Metadata } from "next";
import { startupConfig } from "@olympus/runtime-config/config";
import { PageShell } from "@/components/page-shell";
import { openContinueLink } from "@/lib/server/device/continue-link";
import { one } from "@/lib/search-params";

export const metadata: Metadata = { title: "Connect a device" };

/**
 * `/device/continue?to=&sig=`: where the user-code form lands without
 * JavaScript (lib/server/device/continue-link.ts); the browser goes on to
 * Hydra's sign-in by itself (meta refresh) or with the link.
 */
export default async function DeviceContinuePage({ searchParams }: PageProps<"/device/continue">) {
  const params = await searchParams;
  const to = openContinueLink(startupConfig().secrets.cookieSecret, one(params, "to"), one(params, "sig"));
  return (
    <PageShell>
      {to ? <meta httpEquiv="refresh" content={`0;url=${to}`} /> : null}
      <section className="w-full rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm" data-testid="device-continue">
        <h1 className="text-xl font-semibold">{to ? "Code accepted" : "This link is not valid"}</h1>
        <a href={to ?? "/device"} className="mt-6 inline-block font-semibold text-brand underline" data-testid="device-continue-link">
          {to ? "Continue to sign in" : "Enter a code"}
        </a>
      </section>
    </PageShell>
  );
}
