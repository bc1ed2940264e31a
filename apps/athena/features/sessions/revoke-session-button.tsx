"use client";

import { Button } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { revokeSession } from "@/features/identities/actions";

export function RevokeSessionButton({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const revoke = useServerAction(revokeSession);
  return (
    <Button
      onClick={() => revoke.run({ sessionId })}
      disabled={disabled || revoke.pending}
      title={disabled ? "Needs the admin role" : undefined}
    >
      {revoke.pending ? "Revoking…" : "Revoke"}
    </Button>
  );
}
