import type { Flow } from "../../flow/flow";

/**
 * What a flow remembers between rendering WebAuthn options and receiving the
 * browser's answer. Challenges live only here, server-side: never trusted
 * from the client.
 */
export interface WebAuthnInternal {
  /** Settings: the challenge of the registration options on the page. */
  registration?: { challenge: string };
  /** Login: the challenge of the assertion options on the page. */
  login?: { challenge: string };
  /** Registration: the id the new identity will get (its WebAuthn user handle). */
  registrationUserId?: string;
  /** Passwordless login after step one: whose keys were offered. */
  passwordless?: { identifier: string; identityId: string };
}

export function webauthnInternal(flow: Flow): WebAuthnInternal {
  const value = flow.internal.webauthn;
  return typeof value === "object" && value !== null ? (value as WebAuthnInternal) : {};
}

export function setWebauthnInternal(flow: Flow, patch: Partial<WebAuthnInternal>): void {
  const next: WebAuthnInternal = { ...webauthnInternal(flow), ...patch };
  for (const key of Object.keys(next) as (keyof WebAuthnInternal)[]) if (next[key] === undefined) delete next[key];
  flow.internal = { ...flow.internal, webauthn: next };
}
