"use client";

import { useId, useState } from "react";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { Badge, Button } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { removeSocialProvider, setSocialSignInEnabled } from "./actions";
import type { ProviderListing, SocialListing } from "./listing";
import { ProviderForm } from "./provider-form";

/**
 * The "Social sign-in" section: the domain switch, the providers, and the
 * add/edit form (one at a time). Every change goes through a server action
 * that checks the role, validates and audits.
 */
export function SocialSignInSection({ listing, domain, canWrite }: { listing: SocialListing; domain: string; canWrite: boolean }) {
  const switchId = useId();
  const [editing, setEditing] = useState<{ provider?: ProviderListing } | undefined>();
  const toggle = useServerAction(setSocialSignInEnabled);
  const remove = useServerAction(removeSocialProvider);
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="social-sign-in">
      <div className="flex flex-wrap items-center gap-3">
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          className="h-4 w-4"
          checked={listing.enabled}
          disabled={!canWrite || toggle.pending}
          aria-describedby={`${switchId}-note`}
          onChange={(event) => toggle.run({ enabled: event.target.checked })}
        />
        <label htmlFor={switchId}>Social sign-in on this domain ({domain.toUpperCase()})</label>
        {listing.enabledIsDefault && <Badge>default</Badge>}
      </div>
      <p id={`${switchId}-note`} className="text-xs text-slate-500">
        {domain === "iam"
          ? "Off by default for IAM: employees normally sign in with their IAM password and a second factor."
          : "On by default for CIAM. Applied to this domain's Kratos within seconds of a change."}
      </p>
      {listing.providers.length === 0 ? (
        <p className="text-slate-600">No providers yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left" data-testid="social-providers">
            <caption className="sr-only">Social sign-in providers</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-2">
                  Button
                </th>
                <th scope="col" className="py-1 pr-2">
                  Id
                </th>
                <th scope="col" className="py-1 pr-2">
                  Issuer
                </th>
                <th scope="col" className="py-1">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {listing.providers.map((provider) => (
                <tr key={provider.id} className="border-b border-slate-100 last:border-0">
                  <td className="py-2 pr-2">
                    {provider.label || provider.id}
                    {provider.missing.length > 0 && (
                      <span className="ml-1">
                        <Badge color="amber">incomplete: {provider.missing.join(", ")}</Badge>
                      </span>
                    )}
                  </td>
                  <td className="py-2 pr-2 font-mono text-xs">{provider.id}</td>
                  <td className="max-w-[14rem] truncate py-2 pr-2 text-xs" title={provider.issuer}>
                    {provider.issuer}
                  </td>
                  <td className="py-2">
                    <div className="flex justify-end gap-2">
                      <Button
                        disabled={!canWrite}
                        aria-label={`Edit ${provider.label || provider.id}`}
                        onClick={() => setEditing({ provider })}
                      >
                        Edit
                      </Button>
                      <ConfirmDialog
                        trigger="Remove"
                        triggerLabel={`Remove ${provider.label || provider.id}`}
                        title={`Remove the provider ${provider.label || provider.id}?`}
                        confirmLabel="Remove provider"
                        disabled={!canWrite}
                        pending={remove.pending}
                        onConfirm={() => remove.run({ id: provider.id })}
                      >
                        Its button disappears from sign-in; people who signed in with it keep their accounts but need another way in.
                      </ConfirmDialog>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <ProviderForm key={editing.provider?.id ?? "new"} existing={editing.provider} onDone={() => setEditing(undefined)} />
      ) : (
        <div>
          <Button disabled={!canWrite} onClick={() => setEditing({})}>
            Add provider
          </Button>
        </div>
      )}
    </div>
  );
}
