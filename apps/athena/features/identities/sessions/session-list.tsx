"use client";

import { Badge, Button, Time } from "@/shared/ui/primitives";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { useServerAction } from "@/shared/ui/use-server-action";
import { revokeIdentitySessions, revokeSession } from "../actions";
import { extendSession } from "./actions";
import { describeUserAgent } from "./user-agent";

export interface SessionSummary {
  id: string;
  active: boolean;
  authenticatedAt: string | null;
  expiresAt: string | null;
  aal: string | null;
  device: string | null;
  ip: string | null;
}

/**
 * An identity's sessions. Each line wraps rather than widening the card: the
 * device is shown as "Chrome on Linux" (the full user agent as a tooltip),
 * so a long agent string never pushes the page wider than the window.
 */
export function SessionList({ identityId, sessions, canWrite }: { identityId: string; sessions: SessionSummary[]; canWrite: boolean }) {
  const revokeOne = useServerAction(revokeSession);
  const revokeAll = useServerAction(revokeIdentitySessions);
  const extend = useServerAction(extendSession);
  const active = sessions.filter((s) => s.active);
  return (
    <div className="flex min-w-0 flex-col gap-3">
      {sessions.length === 0 ? (
        <p className="text-sm text-slate-600">No sessions.</p>
      ) : (
        <ul className="flex min-w-0 flex-col divide-y divide-slate-100 text-sm" data-testid="identity-sessions">
          {sessions.map((s) => (
            <li key={s.id} className="flex min-w-0 flex-col gap-1.5 py-2" data-session={s.id}>
              <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                <Badge color={s.active ? "green" : "gray"}>{s.active ? "active" : "ended"}</Badge>
                <span className="min-w-0 break-words font-medium" title={s.device ?? undefined}>
                  {describeUserAgent(s.device)}
                </span>
                {s.ip && <span className="text-slate-600">{s.ip}</span>}
                {s.aal && <span className="text-slate-600">{s.aal}</span>}
              </div>
              <div className="flex min-w-0 flex-wrap items-center justify-between gap-2">
                <span className="text-xs text-slate-600">
                  signed in <Time value={s.authenticatedAt} /> · expires <Time value={s.expiresAt} />
                </span>
                {s.active && (
                  <span className="flex flex-wrap gap-2">
                    <Button
                      onClick={() => extend.run({ sessionId: s.id })}
                      disabled={!canWrite || extend.pending}
                      aria-label={`Extend session ${s.id}`}
                    >
                      Extend
                    </Button>
                    <Button
                      onClick={() => revokeOne.run({ sessionId: s.id })}
                      disabled={!canWrite || revokeOne.pending}
                      aria-label={`Revoke session ${s.id}`}
                    >
                      Revoke
                    </Button>
                  </span>
                )}
              </div>
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
          {active.length > 0 ? "They are signed out everywhere at their next request" : "No sign-in session is active"}, and every app they
          signed in to loses its tokens and has to ask them to sign in again.
        </ConfirmDialog>
      </div>
    </div>
  );
}
