import type { Session } from "@ory/client";

/** The session's assurance level as Hydra's `acr` (`aal1`, `aal2`). */
export function assuranceLevelOf(session: Session): string {
  return session.authenticator_assurance_level ?? "aal1";
}

/**
 * The methods the session was authenticated with, as Hydra's `amr`, each once
 * in the order used: `["password", "totp"]`.
 */
export function authenticationMethodsOf(session: Session): string[] {
  const methods = (session.authentication_methods ?? []).flatMap((m) => (m.method ? [m.method] : []));
  return [...new Set(methods)];
}
