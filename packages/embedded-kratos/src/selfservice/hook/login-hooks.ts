import { FlowValidationError } from "../strategy/strategy";
import type { Hook } from "./registry";

/** `revoke_active_sessions`: a successful login ends the identity's other sessions. */
export const revokeActiveSessionsHook: Hook = {
  name: "revoke_active_sessions",
  async post(deps, { identity, session }) {
    await deps.sessions.repository.deactivateAllForIdentity(identity.id, session?.id);
  },
};

/** `require_verified_address`: login is refused until one verifiable address is verified. */
export const requireVerifiedAddressHook: Hook = {
  name: "require_verified_address",
  pre(_deps, { identity }) {
    if (!identity.verifiableAddresses.some((a) => a.verified)) {
      throw FlowValidationError.flow({ id: 4000010, text: "Account not active yet. Did you forget to verify your email address?", type: "error" });
    }
  },
};

