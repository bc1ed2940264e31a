"use client";

import { useId, useState } from "react";
import { Button, inputClass } from "@/shared/ui/primitives";
import { AUTH_METHODS, GRANT_TYPES, type OAuth2ClientInput } from "./client-input";

const lines = (text: string) =>
  text
    .split(/\s*\n\s*|\s*,\s*/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The OAuth2 client form (create and edit). Validation happens again on the server. */
export function ClientForm({
  initial,
  submitLabel,
  pending,
  disabled,
  errors,
  onSubmit,
}: {
  initial: OAuth2ClientInput;
  submitLabel: string;
  pending: boolean;
  disabled: boolean;
  errors: Record<string, string>;
  onSubmit: (input: OAuth2ClientInput) => void;
}) {
  const id = useId();
  const [name, setName] = useState(initial.name);
  const [redirects, setRedirects] = useState(initial.redirectUris.join("\n"));
  const [postLogout, setPostLogout] = useState(initial.postLogoutRedirectUris.join("\n"));
  const [grants, setGrants] = useState<OAuth2ClientInput["grantTypes"]>(initial.grantTypes);
  const [scope, setScope] = useState(initial.scope);
  const [method, setMethod] = useState(initial.tokenEndpointAuthMethod);
  const [firstParty, setFirstParty] = useState(initial.firstParty);
  const [lifetime, setLifetime] = useState(initial.tokenLifetimeMinutes === undefined ? "" : String(initial.tokenLifetimeMinutes));
  const machineGrant = grants.includes("client_credentials");
  const error = (key: string) => errors[key] && <span className="text-xs text-red-700">{errors[key]}</span>;

  return (
    <form
      aria-label="OAuth2 client"
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        // Empty lifetime: the server applies this domain's cap.
        const tokenLifetimeMinutes = machineGrant && lifetime.trim() ? Number(lifetime) : undefined;
        onSubmit({
          name,
          redirectUris: lines(redirects),
          postLogoutRedirectUris: lines(postLogout),
          grantTypes: grants,
          scope,
          tokenEndpointAuthMethod: method,
          firstParty,
          tokenLifetimeMinutes,
        });
      }}
    >
      <fieldset disabled={disabled} className="grid gap-4 md:grid-cols-2">
        <label htmlFor={`${id}-name`} className="flex flex-col gap-1 text-sm">
          <span>Name</span>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} required />
          {error("name")}
        </label>
        <label htmlFor={`${id}-scope`} className="flex flex-col gap-1 text-sm">
          <span>Scopes (space-separated)</span>
          <input
            id={`${id}-scope`}
            value={scope}
            onChange={(e) => setScope(e.target.value)}
            className={inputClass}
            placeholder="openid email profile offline_access"
          />
          {error("scope")}
        </label>
        <label htmlFor={`${id}-redirects`} className="flex flex-col gap-1 text-sm">
          <span>Redirect URIs (one per line)</span>
          <textarea
            id={`${id}-redirects`}
            value={redirects}
            onChange={(e) => setRedirects(e.target.value)}
            rows={3}
            className={`${inputClass} font-mono text-xs`}
          />
          {error("redirectUris")}
        </label>
        <label htmlFor={`${id}-logout`} className="flex flex-col gap-1 text-sm">
          <span>Post-logout redirect URIs (one per line)</span>
          <textarea
            id={`${id}-logout`}
            value={postLogout}
            onChange={(e) => setPostLogout(e.target.value)}
            rows={3}
            className={`${inputClass} font-mono text-xs`}
          />
          {error("postLogoutRedirectUris")}
        </label>
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1">Grant types</legend>
          {GRANT_TYPES.map((g) => (
            <label key={g} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={grants.includes(g)}
                onChange={(e) => setGrants((current) => (e.target.checked ? [...current, g] : current.filter((x) => x !== g)))}
              />
              <span className="font-mono text-xs">{g}</span>
            </label>
          ))}
          {error("grantTypes")}
          {machineGrant && (
            <label htmlFor={`${id}-lifetime`} className="mt-2 flex flex-col gap-1">
              <span>Client-credentials token lifetime (minutes; empty for this domain&apos;s cap)</span>
              <input
                id={`${id}-lifetime`}
                type="number"
                min={1}
                value={lifetime}
                onChange={(e) => setLifetime(e.target.value)}
                className={inputClass}
              />
              <span className="text-xs text-slate-500">Scopes must come from the machine-to-machine allow-list in Settings.</span>
              {error("tokenLifetimeMinutes")}
            </label>
          )}
        </fieldset>
        <div className="flex flex-col gap-3 text-sm">
          <label htmlFor={`${id}-method`} className="flex flex-col gap-1">
            <span>Client authentication</span>
            <select
              id={`${id}-method`}
              value={method}
              onChange={(e) => setMethod(AUTH_METHODS.find((m) => m === e.target.value) ?? "client_secret_basic")}
              className={inputClass}
            >
              {AUTH_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m === "none" ? "none (public client, PKCE)" : m}
                </option>
              ))}
            </select>
            {error("tokenEndpointAuthMethod")}
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={firstParty} onChange={(e) => setFirstParty(e.target.checked)} />
            <span>First-party application (skip the consent screen)</span>
          </label>
        </div>
      </fieldset>
      <div>
        <Button type="submit" variant="primary" disabled={disabled || pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
