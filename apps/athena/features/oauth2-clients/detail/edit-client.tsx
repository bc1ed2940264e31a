"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ClientForm } from "../client-form";
import { SecretOnce } from "../secret-once";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { Button } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { deleteOAuth2Client, rotateClientSecret, updateOAuth2Client } from "../actions";
import type { OAuth2ClientInput } from "../client-input";

export function EditClient({ clientId, initial, canWrite }: { clientId: string; initial: OAuth2ClientInput; canWrite: boolean }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rotated, setRotated] = useState<string | null>(null);
  const save = useServerAction(updateOAuth2Client, { onError: (f) => setErrors(f ?? {}), onSuccess: () => setErrors({}) });
  const remove = useServerAction(deleteOAuth2Client, { refresh: false, onSuccess: () => router.push("/oauth2-clients") });
  const rotate = useServerAction(rotateClientSecret, { refresh: false, onSuccess: (d) => setRotated(d.clientSecret) });
  return (
    <div className="flex flex-col gap-6">
      <ClientForm
        initial={initial}
        submitLabel="Save client"
        pending={save.pending}
        disabled={!canWrite}
        errors={errors}
        onSubmit={(input) => save.run({ ...input, clientId })}
      />
      {rotated && <SecretOnce clientId={clientId} secret={rotated} />}
      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        {initial.tokenEndpointAuthMethod !== "none" && (
          <Button onClick={() => rotate.run({ clientId })} disabled={!canWrite || rotate.pending}>
            Rotate secret
          </Button>
        )}
        <ConfirmDialog
          trigger="Delete client"
          title="Delete this OAuth2 client?"
          confirmLabel="Delete client"
          typeToConfirm={clientId}
          disabled={!canWrite}
          pending={remove.pending}
          onConfirm={(typed) => remove.run({ clientId, confirmation: typed })}
        >
          Applications using it can no longer sign anyone in, and its tokens stop working.
        </ConfirmDialog>
      </div>
    </div>
  );
}
