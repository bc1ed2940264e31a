import type { KratosConfig } from "../../../config/load";

/**
 * Recovery v2's states (selfservice/flow/state.go): with
 * `feature_flags.choose_recovery_address` a new recovery flow starts at
 * `recovery_awaiting_address` instead of `choose_method` (recovery/flow.go
 * NewFlow), so a flow keeps the machine it started with when the flag is
 * toggled. Both machines end at `passed_challenge`.
 */
export const RECOVERY_V2_STATES = {
  awaitingAddress: "recovery_awaiting_address",
  awaitingAddressChoice: "recovery_awaiting_address_choice",
  confirmingAddress: "recovery_confirming_address",
  awaitingCode: "recovery_awaiting_code",
} as const;

/** flow.IsStateRecoveryV2: the v2 states share the `recovery_` prefix. */
export function isRecoveryV2State(state: string): boolean {
  return state.startsWith("recovery_");
}

/** The state recovery.NewFlow gives a new recovery flow. */
export function recoveryInitialState(config: KratosConfig): string {
  return config.feature_flags.choose_recovery_address ? RECOVERY_V2_STATES.awaitingAddress : "choose_method";
}
