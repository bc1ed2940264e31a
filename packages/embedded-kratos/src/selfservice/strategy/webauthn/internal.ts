import { z } from "zod";
import { readStrategyState, writeStrategyState, type Flow } from "../../flow/flow";

/**
 * What a flow remembers between rendering WebAuthn options and receiving the
 * browser's answer. Challenges live only here, server-side: never trusted
 * from the client.
 */
const webauthnStateSchema = z.object({
  /**
   * Registration and settings: the registration options on the page and
   * their challenge. Kept until they are answered: Kratos' error handlers
   * do not populate a flow again, so a failed answer leaves them valid.
   */
  registration: z.object({ challenge: z.string(), optionsJson: z.string().optional() }).optional(),
  /** Login: the assertion options on the page and their challenge, kept likewise. */
  login: z.object({ challenge: z.string(), optionsJson: z.string().optional() }).optional(),
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
