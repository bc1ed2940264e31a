import { z } from "zod";
import type { UiNode } from "../../../ui/node";
import { readStrategyState, writeStrategyState, type Flow } from "../../flow/flow";

/** What a flow remembers for the code strategy (its key in the flow's internal context). */
const codeStateSchema = z.object({
  /** Login: the address the code was sent to. */
  login_identifier: z.string().optional(),
  /** Passwordless login, once a code was refused: as `mfa_identifier_shown`, for the passwordless form. */
  login_identifier_shown: z.string().optional(),
  /** Second-factor login: the `via` trait the flow was created with ("" for none), so re-rendered forms offer the same addresses. */
  mfa_via: z.string().optional(),
  /**
   * Second-factor login, once a code was refused: the value of the hidden
   * `default`-group `identifier` that HandleLoginError put over the first
   * address input (kept, as Kratos keeps the flow's nodes).
   */
  mfa_identifier_shown: z.string().optional(),
  /**
   * Second-factor login: the form's `identifier` and `address` inputs when a
   * code was sent from it, hidden and in its order (populateEmailSentFlow
   * takes them over from the stored form, which is rebuilt here).
   */
  mfa_sent_identifiers: z.array(z.custom<UiNode>((v) => typeof v === "object" && v !== null && !Array.isArray(v))).optional(),
  /** Registration: the traits the code was sent for; the second step must submit the same. */
  registration_traits: z.record(z.string(), z.unknown()).optional(),
  /** Recovery and verification: the address as the person typed it (for "resend"). */
  recovery_email: z.string().optional(),
  verification_email: z.string().optional(),
  /**
   * Recovery v2: the current screen's nodes (without the CSRF token), so a
   * refusal re-rendering the flow shows the screen as stored, as Kratos does.
   */
  recovery_v2_nodes: z.array(z.custom<UiNode>((v) => typeof v === "object" && v !== null && !Array.isArray(v))).optional(),
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
