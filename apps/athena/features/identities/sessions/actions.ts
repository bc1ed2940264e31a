"use server";

import { z } from "zod";
import { adminAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { kratosAdmin } from "@/shared/server/ory";
import { kratosCall } from "../operations";

/**
 * Asks Kratos to extend a session (`PATCH /admin/sessions/{id}/extend`).
 * Kratos extends only within `session.earliest_possible_extend` of the
 * expiry and otherwise leaves it as it is (session/handler.go,
 * adminSessionExtend; Session.CanBeRefreshed), so the answer says which
 * happened. Audited as `session.extend` with the expiry before and after.
 */
export const extendSession = adminAction(
  { action: "session.extend", input: z.object({ sessionId: z.uuid() }), target: (input) => input.sessionId },
  async ({ sessionId }) => {
    const before = await kratosAdmin().getSession(sessionId);
    if (!before) throw new AdminActionError("This session no longer exists.");
    if (before.active === false) throw new AdminActionError("This session has ended; it cannot be extended.");
    const after = await kratosCall(() => kratosAdmin().extendSession(sessionId));
    if (!after) throw new AdminActionError("This session no longer exists.");
    const from = before.expires_at ?? null;
    const to = after.expires_at ?? null;
    const extended = to !== null && (from === null || Date.parse(to) > Date.parse(from));
    const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "unknown");
    return {
      data: { extended, expiresAt: to },
      warning: !extended,
      details: { identity: before.identity?.id ?? null, extended, from, to },
      message: extended
        ? `Session extended; it now expires ${when(to)}.`
        : `Kratos left the session as it was (it still expires ${when(to)}): it extends a session only within session.earliest_possible_extend of its expiry.`,
    };
  },
);
