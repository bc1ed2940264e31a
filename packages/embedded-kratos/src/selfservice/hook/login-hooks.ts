import { FlowValidationError } from "../flow/validation-error";
import type { Hook } from "./hook";

/** `require_verified_address`: login is refused until one verifiable address is verified. */
export const requireVerifiedAddressHook: Hook = {
  name: "require_verified_address",
  flows: ["login"],
  pre(_deps, { identity }) {
    if (!identity.verifiableAddresses.some((a) => a.verified)) {
      throw FlowValidationError.flow({
        id: 4000010,
        text: "Account not active yet. Did you forget to verify your email address?",
        type: "error",
      });
    }
  },
};
