import { z } from "zod";
import { readStrategyState, writeStrategyState, type Flow } from "../../flow/flow";

/** What a flow remembers for the code strategy (its key in the flow's internal context). */
const codeStateSchema = z.object({
  /** Login: the address the code was sent to. */
  login_identifier: z.string().optional(),
  /** Second-factor login: the `via` trait the flow was created with ("" for none), so re-rendered forms offer the same addresses. */
  mfa_via: z.string().optional(),
  /**
   * Second-factor login, once a code was refused: the value of the hidden
   * `default`-group `identifier` that HandleLoginError put over the first
   * address input (kept, as Kratos keeps the flow's nodes).
   */
  mfa_identifier_shown: z.string().optional(),
  /** Registration: the traits the code was sent for; the second step must submit the same. */
  registration_traits: z.record(z.string(), z.unknown()).optional(),
  /** Recovery and verification: the address as the person typed it (for "resend"). */
  recovery_email: z.string().optional(),
  verification_email: z.string().optional(),
  /** Code guesses so far (counted in the database, see OneTimeSecretRepository.countSubmission). */
  submit_count: z.number().optional(),
});
export type CodeState = z.infer<typeof codeStateSchema>;

export function codeState(flow: Flow): CodeState {
  return readStrategyState(flow, "code", codeStateSchema) ?? {};
}

export function updateCodeState(flow: Flow, patch: CodeState): void {
  writeStrategyState(flow, "code", { ...codeState(flow), ...patch });
}
