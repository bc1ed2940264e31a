import { z } from "zod";
import { readStrategyState, writeStrategyState, type Flow } from "../../flow/flow";

/**
 * What a flow remembers between rendering WebAuthn options and receiving the
 * browser's answer. Challenges live only here, server-side: never trusted
 * from the client.
 */
const webauthnStateSchema = z.object({
  /** Settings: the challenge of the registration options on the page. */
  registration: z.object({ challenge: z.string() }).optional(),
  /** Login: the challenge of the assertion options on the page. */
  login: z.object({ challenge: z.string() }).optional(),
  /** Registration: the id the new identity will get (its WebAuthn user handle). */
  registrationUserId: z.string().optional(),
  /** Passwordless login after step one: whose keys were offered. */
  passwordless: z.object({ identifier: z.string(), identityId: z.string() }).optional(),
});
export type WebAuthnInternal = z.infer<typeof webauthnStateSchema>;

export function webauthnInternal(flow: Flow): WebAuthnInternal {
  return readStrategyState(flow, "webauthn", webauthnStateSchema) ?? {};
}

export function setWebauthnInternal(flow: Flow, patch: Partial<WebAuthnInternal>): void {
  const next: WebAuthnInternal = { ...webauthnInternal(flow), ...patch };
  for (const key of Object.keys(next) as (keyof WebAuthnInternal)[]) if (next[key] === undefined) delete next[key];
  writeStrategyState(flow, "webauthn", next);
}
