"use client";

import { useActionState } from "react";
import { decideConsent, type ConsentActionError } from "./actions";

export interface ScopeChoice {
  name: string;
  description: string;
  required: boolean;
}

const MESSAGES: Record<ConsentActionError["error"], string> = {
  invalid_request: "Something was wrong with your answer. Please try again.",
  expired: "This request has expired. Go back to the application and start again.",
  unavailable: "We could not reach the sign-in service. Please try again in a moment.",
};

/** The consent question: which scopes to grant, whether to remember, allow or deny. */
export function ConsentForm({ challenge, scopes }: { challenge: string; scopes: ScopeChoice[] }) {
  const [state, action, pending] = useActionState(decideConsent, undefined);
  return (
    <form action={action} className="flex flex-col gap-5" data-testid="consent-form">
      <input type="hidden" name="challenge" value={challenge} />
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 font-medium">It will be able to:</legend>
        {scopes.map((scope) => (
          <label key={scope.name} className="flex items-start gap-3 rounded-lg border border-slate-200 p-3">
            <input
              type="checkbox"
              name="scope"
              value={scope.name}
              defaultChecked
              disabled={scope.required}
              className="mt-1 size-4 accent-brand"
              data-testid={`scope-${scope.name}`}
            />
            <span>
              <span className="block font-medium">{scope.description}</span>
              <span className="block text-sm text-slate-600">{scope.name}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-3">
        <input type="checkbox" name="remember" className="size-4 accent-brand" data-testid="consent-remember" />
        <span>Remember my decision for this application</span>
      </label>
      {state ? (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-red-800">
          {MESSAGES[state.error]}
        </p>
      ) : null}
      <div className="flex gap-3">
        <button
          type="submit"
          name="decision"
          value="reject"
          disabled={pending}
          className="flex-1 rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-semibold text-slate-900 hover:bg-slate-50"
          data-testid="consent-deny"
        >
          Deny
        </button>
        <button
          type="submit"
          name="decision"
          value="accept"
          disabled={pending}
          className="flex-1 rounded-lg bg-brand px-4 py-2.5 font-semibold text-white hover:opacity-90"
          data-testid="consent-allow"
        >
          Allow
        </button>
      </div>
    </form>
  );
}
