"use client";

import { Badge, Time } from "@/shared/ui/primitives";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { useServerAction } from "@/shared/ui/use-server-action";
import { removeCredential } from "./actions";
import type { CredentialItem } from "./credentials";

/** The identity's credentials, each with "Remove" where Kratos' admin API allows it. */
export function CredentialsCard({ identityId, items, canWrite }: { identityId: string; items: CredentialItem[]; canWrite: boolean }) {
  const remove = useServerAction(removeCredential);
  if (items.length === 0)
    return <p className="text-sm text-slate-600">No credentials: this identity cannot sign in yet (send a recovery link).</p>;
  return (
    <ul className="flex flex-col divide-y divide-slate-100 text-sm" data-testid="credentials">
      {items.map((item) => (
        <li key={item.key} className="flex flex-col gap-1 py-2" data-credential={item.key}>
          <div className="flex flex-wrap items-center gap-2">
            <Badge color="blue">{item.type}</Badge>
            <span className="font-medium">{item.label}</span>
          </div>
          {item.detail && <span className="break-words text-slate-700">{item.detail}</span>}
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span className="text-xs text-slate-600">
              since <Time value={item.createdAt} />
            </span>
            {"blocked" in item.removal ? (
              <span className="text-xs text-slate-600">{item.removal.blocked}</span>
            ) : (
              <RemoveButton
                identityId={identityId}
                item={item}
                removal={item.removal}
                disabled={!canWrite}
                pending={remove.pending}
                run={remove.run}
              />
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

function RemoveButton({
  identityId,
  item,
  removal,
  disabled,
  pending,
  run,
}: {
  identityId: string;
  item: CredentialItem;
  removal: Exclude<CredentialItem["removal"], { blocked: string }>;
  disabled: boolean;
  pending: boolean;
  run: (input: Parameters<typeof removeCredential>[0]) => void;
}) {
  return (
    <ConfirmDialog
      trigger="Remove"
      triggerLabel={`Remove ${item.label}${item.detail ? ` (${item.detail})` : ""}`}
      title={`Remove ${item.label}?`}
      confirmLabel="Remove"
      disabled={disabled}
      pending={pending}
      onConfirm={() => run({ id: identityId, type: removal.type, ...(removal.identifier ? { identifier: removal.identifier } : {}) })}
    >
      {removal.confirm}
    </ConfirmDialog>
  );
}
