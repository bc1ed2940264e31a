"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { OIDC_PROVIDER_ID } from "@/shared/auth/policy";

export function SignInButton({ callbackUrl }: { callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn(OIDC_PROVIDER_ID, { callbackUrl }).catch(() => setPending(false));
      }}
      className="rounded-md bg-brand px-4 py-2 font-semibold text-white shadow-sm hover:opacity-90 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand disabled:opacity-60"
    >
      {pending ? "Redirecting to Olympus Workforce…" : "Sign in with Olympus Workforce"}
    </button>
  );
}
