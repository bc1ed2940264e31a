"use client";

import { Button } from "@/shared/ui/primitives";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { useServerAction } from "@/shared/ui/use-server-action";
import { revokeConsent } from "./actions";

export function RevokeConsent({ subject, clientId, disabled }: { subject: string; clientId?: string; disabled: boolean }) {
  const revoke = useServerAction(revokeConsent);
  if (clientId) {
    return (
      <Button onClick={() => revoke.run({ subject, clientId })} disabled={disabled || revoke.pending}>
        Revoke
      </Button>
    );
  }
  return (
    <ConfirmDialog
      trigger="Revoke all consents"
      title="Revoke every consent of this subject?"
      confirmLabel="Revoke all"
      disabled={disabled}
      pending={revoke.pending}
      onConfirm={() => revoke.run({ subject })}
    >
      Every application loses its grant and tokens; the person is asked again next time.
    </ConfirmDialog>
  );
}
