import type { Hook } from "./hook";

/**
 * `revoke_active_sessions` (Kratos' SessionDestroyer): ends every other
 * session of the identity, sparing the one the flow runs in or just issued —
 * after a login, after a settings change is saved (per method, e.g. a new
 * password) and after a completed recovery.
 */
export const revokeActiveSessionsHook: Hook = {
  name: "revoke_active_sessions",
  flows: ["login", "settings", "recovery"],
  async post(deps, { identity, session }) {
    await deps.sessions.repository.deactivateAllForIdentity(identity.id, session?.id);
  },
};
