import { z } from "zod";
import { readStrategyState, writeStrategyState, type Flow } from "../../flow/flow";

/**
 * What a flow keeps between showing passkey options and receiving the
 * browser's answer (Kratos' internal_context `passkey.session_data` and
 * `passkey.session_options`): the challenge and the user handle, never
 * trusted from the client.
 */
const passkeyStateSchema = z.object({
  /** Registration and settings: the options on the page and the user handle the new passkey binds to. */
  registration: z.object({ challenge: z.string(), userHandle: z.string(), optionsJson: z.string() }).optional(),
  /** Login: the challenge of the assertion options on the page. */
  login: z.object({ challenge: z.string() }).optional(),
});
export type PasskeyInternal = z.infer<typeof passkeyStateSchema>;

export function passkeyInternal(flow: Flow): PasskeyInternal {
  return readStrategyState(flow, "passkey", passkeyStateSchema) ?? {};
}

export function setPasskeyInternal(flow: Flow, patch: Partial<PasskeyInternal>): void {
  const next: PasskeyInternal = { ...passkeyInternal(flow), ...patch };
  for (const key of Object.keys(next) as (keyof PasskeyInternal)[]) if (next[key] === undefined) delete next[key];
  writeStrategyState(flow, "passkey", next);
}
