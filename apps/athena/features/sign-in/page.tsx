import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { sameOriginPath } from "@olympus/web-security";
import { currentAdmin } from "@/shared/auth/session";
import { athenaConfig } from "@/shared/server/config";
import { SignInButton } from "./sign-in-button";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  AccessDenied: "Your IAM account has no Athena role (iam_admin_role). Ask an administrator to grant you admin or viewer.",
  OAuthCallback: "Signing in through IAM did not complete. Try again.",
  OAuthSignin: "IAM Hydra could not be reached. Try again shortly.",
  Callback: "Signing in through IAM did not complete. Try again.",
  SessionRequired: "Please sign in.",
  SessionEnded: "Your session has ended: you signed out elsewhere, or your Olympus Workforce (IAM) access changed. Sign in again.",
  SessionUnverifiable: "Your session could not be re-checked with Olympus Workforce (IAM) right now. Try again shortly.",
  MfaRequired:
    "Athena needs a sign-in with a second factor. Set up an authenticator app or a security key in your Olympus Workforce (IAM) account settings, then sign in again with it.",
  OfflineAccess:
    "IAM did not grant Athena a refresh token. Ask an operator to allow the refresh_token grant and the offline_access scope on this Athena's OAuth2 client.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const error = typeof params.error === "string" ? params.error : undefined;
  // Only a path on Athena itself: never an open redirect (`/%5Cevil.example`, `/%09/evil.example`, …).
  const callbackUrl = sameOriginPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined, "/");
  if (!error && (await currentAdmin())) redirect(callbackUrl);

  const { branding, domain } = athenaConfig();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-8">
      <header className="flex items-center gap-4">
        {/* eslint-disable-next-line @next/next/no-img-element -- the logo path is runtime config, not a build-time asset */}
        <img src={branding.logoPath} alt="" width={48} height={48} />
        <div>
          <p className="text-sm font-medium uppercase tracking-wide text-brand">Athena</p>
          <h1 className="text-2xl font-semibold">{branding.productName} admin</h1>
        </div>
      </header>
      <p data-testid="domain" className="w-fit rounded-full bg-brand px-4 py-1 text-sm font-semibold text-white">
        Serving the {domain.toUpperCase()} domain
      </p>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {ERRORS[error] ?? "Sign-in failed. Try again."}
        </p>
      )}
      {params.signed_out !== undefined && (
        <p role="status" className="rounded-md border border-slate-200 bg-white p-3 text-sm text-slate-700">
          You are signed out of Athena and of Olympus Workforce.
        </p>
      )}
      <p className="text-slate-600">
        Employees sign in with their Olympus Workforce (IAM) account. Only accounts with an Athena role may enter.
      </p>
      <SignInButton callbackUrl={callbackUrl} />
    </main>
  );
}
