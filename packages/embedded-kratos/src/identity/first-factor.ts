import type { KratosConfig } from "../config/load";
import type { Credential, Identity } from "./identity";

/**
 * How many ways an identity has to sign in on its own — Kratos' manager sums
 * every strategy's CountActiveFirstFactorCredentials
 * (identity/manager.go, CountActiveFirstFactorCredentials; the strategies'
 * counters in selfservice/strategy/{password,oidc,code,webauthn,passkey}).
 * All strategies count, enabled or not, as in Kratos; SAML has no counter in
 * Kratos' open-source build and counts nothing.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const hasIdentifier = (c: Credential) => c.identifiers.join("") !== "";

function countPassword(c: Credential | undefined): number {
  if (!c || Object.keys(c.config).length === 0) return 0;
  const hash = c.config.hashed_password;
  // The password migration hook is not available here, so its marker never counts (Kratos: only when the hook is enabled).
  return hasIdentifier(c) && typeof hash === "string" && hash.length > 0 ? 1 : 0;
}

/** Each identifier `provider:subject` backed by a provider entry without an organization. */
function countOidc(c: Credential | undefined): number {
  if (!c) return 0;
  const providers = Array.isArray(c.config.providers) ? c.config.providers.filter(isRecord) : [];
  let count = 0;
  for (const identifier of c.identifiers) {
    const cut = identifier.indexOf(":");
    if (cut < 0) continue;
    const [provider, subject] = [identifier.slice(0, cut), identifier.slice(cut + 1)];
    for (const p of providers) {
      if (typeof p.organization === "string" && p.organization.length > 0) continue;
      if (p.provider === provider && p.subject === subject && subject !== "" && provider !== "") count++;
    }
  }
  return count;
}

function webauthnCredentials(c: Credential | undefined): Record<string, unknown>[] {
  return c && Array.isArray(c.config.credentials) ? c.config.credentials.filter(isRecord) : [];
}

/** Passwordless security keys, which need an identifier to be found at login. */
function countWebAuthn(c: Credential | undefined): number {
  if (!c || !hasIdentifier(c)) return 0;
  return webauthnCredentials(c).filter((k) => k.is_passwordless === true).length;
}

function countPasskey(c: Credential | undefined): number {
  return c && hasIdentifier(c) ? webauthnCredentials(c).length : 0;
}

/** The code strategy counts one for everybody as soon as passwordless code login is configured. */
function countCode(config: KratosConfig): number {
  return config.selfservice.methods.code?.passwordless_enabled === true ? 1 : 0;
}

export function countActiveFirstFactorCredentials(identity: Identity, config: KratosConfig): number {
  const c = identity.credentials;
  return countPassword(c.password) + countOidc(c.oidc) + countCode(config) + countWebAuthn(c.webauthn) + countPasskey(c.passkey);
}
