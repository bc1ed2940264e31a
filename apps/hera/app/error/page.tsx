import type { Metadata } from "next";
import { Error as OryErrorCard } from "@ory/elements-react/theme";
import { PageShell } from "@/components/page-shell";
import { elementsConfig } from "@/lib/server/elements-config";
import { toElements } from "@/lib/server/elements-flows";
import { renderWithOry, selfHref } from "@/lib/server/guard";
import { kratos } from "@/lib/server/ory";
import { one } from "@/lib/search-params";

export const metadata: Metadata = { title: "Something went wrong" };

const FLOW_NAMES: Record<string, string> = {
  registration: "Creating an account",
  recovery: "Account recovery",
  verification: "Email verification",
  login: "Signing in",
  settings: "Account settings",
};

/**
 * Kratos' error UI (`/error?id=`, a stored self-service error) and Hydra's
 * (`/error?error=&error_description=`, an OAuth2 error without a client to
 * send it to).
 */
export default async function ErrorPage({ searchParams }: PageProps<"/error">) {
  const params = await searchParams;
  return renderWithOry(selfHref("/error", params), async () => {
    const disabled = one(params, "disabled");
    if (disabled) {
      return (
        <PageShell>
          <section role="alert" data-testid="flow-disabled" className="w-full rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 className="text-xl font-semibold">{FLOW_NAMES[disabled] ?? "This page"} is not available here</h1>
            <p className="mt-3 text-slate-700">It has been switched off for this site.</p>
            <a href="/login" className="mt-6 inline-block font-semibold text-brand underline">
              Back to sign in
            </a>
          </section>
        </PageShell>
      );
    }
    const id = one(params, "id");
    const stored = id ? await kratos().getFlowError(id) : undefined;
    const oauth2Error = one(params, "error");
    const error = stored
      ? toElements.flowError(stored)
      : {
          error: oauth2Error ?? "unknown_error",
          error_description: one(params, "error_description") ?? "We could not complete your request. Please start again.",
        };
    return (
      <PageShell>
        <div data-testid="error-page" className="w-full">
          <OryErrorCard error={error} config={elementsConfig()} />
        </div>
      </PageShell>
    );
  });
}
