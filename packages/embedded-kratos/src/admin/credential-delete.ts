import type { KratosConfig } from "../config/load";
import type { Identity } from "../identity/identity";
import { countActiveFirstFactorCredentials } from "../identity/first-factor";
import { adminErrors } from "./errors";

/**
 * DELETE /admin/identities/{id}/credentials/{type}
 * (identity/handler.go deleteIdentityCredentials; identity/identity.go
 * deleteCredential*): which types may go and what is left of them. Mutates
 * `identity`; the caller validates and stores it.
 *
 * - `totp`, `lookup_secret`: removed.
 * - `webauthn`: its second-factor keys are removed; passwordless keys stay.
 * - `password`, `oidc`, `saml`: only while another first factor remains
 *   (identity/manager.go CountActiveFirstFactorCredentials ≥ 2 — passwordless
 *   code login counts for everybody when enabled); a password keeps its
 *   identifiers with an empty config, an oidc/saml credential loses the
 *   connection named by `identifier`.
 * - anything else (code, passkey, …): 400.
 */
export function deleteCredential(identity: Identity, type: string, identifier: string, config: KratosConfig): void {
  const credential = identity.credentials[type];
  if (!credential) throw adminErrors.notFound(`You tried to remove a ${type} but this user have no ${type} set up.`);

  switch (type) {
    case "lookup_secret":
    case "totp":
      delete identity.credentials[type];
      return;
    case "webauthn": {
      const keys = Array.isArray(credential.config.credentials) ? credential.config.credentials : [];
      const passwordless = keys.filter(
        (k: unknown) => typeof k === "object" && k !== null && (k as { is_passwordless?: unknown }).is_passwordless === true,
      );
      if (passwordless.length === 0) delete identity.credentials[type];
      else credential.config = { ...credential.config, credentials: passwordless };
      return;
    }
    case "password":
    case "oidc":
    case "saml": {
      if (countActiveFirstFactorCredentials(identity, config) < 2)
        throw adminErrors.badRequest("You cannot remove the last first factor credential.");
      if (type === "password") {
        credential.config = {};
        return;
      }
      if (identifier === "") throw adminErrors.badRequest("You must provide an identifier to delete this credential.");
      const providers = Array.isArray(credential.config.providers) ? credential.config.providers : [];
      const uniqueId = (p: unknown) => {
        const entry = typeof p === "object" && p !== null ? (p as { provider?: unknown; subject?: unknown }) : {};
        return `${typeof entry.provider === "string" ? entry.provider : ""}:${typeof entry.subject === "string" ? entry.subject : ""}`;
      };
      const remaining = providers.filter((p: unknown) => uniqueId(p) !== identifier);
      // Kratos says "OIDC" for SAML connections too.
      if (remaining.length === providers.length)
        throw adminErrors.notFound(`The identifier \`${identifier}\` was not found among OIDC credentials.`);
      credential.identifiers = remaining.map(uniqueId);
      credential.config = { providers: remaining };
      return;
    }
    default:
      throw adminErrors.badRequest(`Credentials type ${type} cannot be deleted.`);
  }
}
