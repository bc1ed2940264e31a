"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, inputClass } from "@/shared/ui/primitives";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { useServerAction } from "@/shared/ui/use-server-action";
import { createRecoveryLink, deleteIdentity, inviteIdentity, sendRecoveryEmail, setIdentityState } from "../actions";

export function IdentityActions({
  identityId,
  state,
  confirmText,
  hasRecoveryAddress,
  canWrite,
}: {
  identityId: string;
  state: string;
  confirmText: string;
  hasRecoveryAddress: boolean;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [method, setMethod] = useState<"code" | "link">("link");
  const [created, setCreated] = useState<{ link: string; code: string | null; expiresAt: string | null } | null>(null);
  const toggle = useServerAction(setIdentityState);
  const remove = useServerAction(deleteIdentity, { refresh: false, onSuccess: () => router.push("/identities") });
  const mail = useServerAction(sendRecoveryEmail);
  const invite = useServerAction(inviteIdentity);
  const create = useServerAction(createRecoveryLink, { onSuccess: setCreated, refresh: false });
  const readOnly = !canWrite ? "Needs the admin role" : undefined;

  return (
    <div className="flex flex-col gap-4 text-sm">
      <div className="flex flex-wrap gap-2">
        <Button
          onClick={() => toggle.run({ id: identityId, state: state === "active" ? "inactive" : "active" })}
          disabled={!canWrite || toggle.pending}
          title={readOnly}
        >
          {state === "active" ? "Deactivate" : "Activate"}
        </Button>
        <ConfirmDialog
          trigger="Delete identity"
          title="Delete this identity?"
          confirmLabel="Delete permanently"
          typeToConfirm={confirmText}
          disabled={!canWrite}
          pending={remove.pending}
          onConfirm={(typed) => remove.run({ id: identityId, confirmation: typed })}
        >
          Its credentials, sessions and addresses are deleted with it. This cannot be undone.
        </ConfirmDialog>
      </div>
      <fieldset className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" disabled={!canWrite || !hasRecoveryAddress}>
        <legend className="px-1 font-medium">Account recovery</legend>
        {!hasRecoveryAddress && <p className="text-slate-500">No recovery address on this identity.</p>}
        <div>
          <Button variant="primary" onClick={() => mail.run({ id: identityId })} disabled={mail.pending}>
            {mail.pending ? "Sending…" : "Email recovery instructions"}
          </Button>
          <p className="mt-1 text-xs text-slate-500">
            Kratos mails its own recovery message (a link or a code, as this domain is configured).
          </p>
        </div>
        <div>
          <Button onClick={() => invite.run({ id: identityId })} disabled={invite.pending}>
            {invite.pending ? "Sending…" : "Email an invitation"}
          </Button>
          <p className="mt-1 text-xs text-slate-500">
            This domain&apos;s invitation mail (Settings) with a sign-in link valid for 24 hours, sent with the stored SMTP settings.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-2">
          <label className="flex items-center gap-2">
            <span>Hand over a</span>
            <select
              value={method}
              onChange={(e) => setMethod(e.target.value === "link" ? "link" : "code")}
              className={`${inputClass} w-auto`}
              aria-label="Recovery method to hand over"
            >
              <option value="link">link</option>
              <option value="code">code</option>
            </select>
          </label>
          <Button onClick={() => create.run({ id: identityId, method, expiresIn: "1h" })} disabled={create.pending}>
            Create recovery {method}
          </Button>
        </div>
        {created && (
          <div className="rounded-md border border-amber-200 bg-amber-50 p-2" data-testid="recovery-created">
            <p className="font-medium">Shown once — hand it over through a trusted channel.</p>
            <p className="break-all font-mono text-xs">{created.link}</p>
            {created.code && <p className="font-mono text-lg tracking-widest">{created.code}</p>}
          </div>
        )}
      </fieldset>
    </div>
  );
}
