"use client";

import { Badge, Button, Time } from "@/components/ui/primitives";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useServerAction } from "@/components/ui/use-server-action";
import { revokeIdentitySessions, revokeSession } from "@/lib/actions/identities";

export interface SessionSummary {
  id: string;
  active: boolean;
  authenticatedAt: string | null;
  expiresAt: string | null;
  aal: string | null;
  device: string | null;
  ip: string | null;
}

export function SessionList({ identityId, sessions, canWrite }: { identityId: string; sessions: SessionSummary[]; canWrite: boolean }) {
  const revokeOne = useServerAction(revokeSession);
  const revokeAll = useServerAction(revokeIdentitySessions);
  const active = sessions.filter((s) => s.active);
  return (
    <div className="flex flex-col gap-3">
      {sessions.length === 0 ? (
        <p className="text-sm text-slate-500">No sessions.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-100 text-sm" data-testid="identity-sessions">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-3 py-2">
              <Badge color={s.active ? "green" : "gray"}>{s.active ? "active" : "ended"}</Badge>
              <span className="min-w-0 flex-1 truncate" title={s.device ?? undefined}>
                {s.device ?? "unknown device"} {s.ip && <span className="text-slate-500">· {s.ip}</span>} {s.aal && <span className="text-slate-500">· {s.aal}</span>}
              </span>
              <span className="text-xs text-slate-500">
                signed in <Time value={s.authenticatedAt} /> · expires <Time value={s.expiresAt} />
              </span>
              {s.active && (
                <Button onClick={() => revokeOne.run({ sessionId: s.id })} disabled={!canWrite || revokeOne.pending} aria-label={`Revoke session ${s.id}`}>
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {/* Always offered: apps may hold the identity's tokens when no Kratos session is left. */}
      <div>
        <ConfirmDialog
          trigger="Revoke all sessions"
          title="Revoke every session of this identity?"
          confirmLabel="Revoke all"
          disabled={!canWrite}
          pending={revokeAll.pending}
          onConfirm={() => revokeAll.run({ id: identityId })}
        >
          {active.length > 0 ? "They are signed out everywhere at their next request" : "No sign-in session is active"}, and every app they signed in to loses its
          tokens and has to ask them to sign in again.
        </ConfirmDialog>
      </div>
    </div>
  );
}
