import { z } from "zod";
import type { Identity } from "./identity";
import { goTrim } from "@olympus/server-kit/text";

/** What a sign-up whose identifier is taken is told about the account holding it (identity.ErrDuplicateCredentials' hints). */
export interface DuplicateHints {
  /** First-factor credential types the account can sign in with, sorted. */
  credentials: string[];
  /** The account's linked social sign-in providers, sorted. */
  providers: string[];
  /** The identifier in use ("" when none can be shown). */
  identifierHint: string;
}

const oidcConfig = z.object({ providers: z.array(z.object({ provider: z.string() }).passthrough()).nullish() }).passthrough();
const webauthnConfig = z
  .object({ credentials: z.array(z.object({ is_passwordless: z.boolean().optional() }).passthrough()).nullish() })
  .passthrough();

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * identity/manager.go findExistingAuthMethod, after ConflictingIdentity found
 * `found` through `conflictAddress` (an identifier of type `conflictType`,
 * or an address of that channel): the credentials, in type order, that
 * help someone sign in — a password with a hash, a code credential, oidc
 * (with its providers), webauthn or passkey only with a passwordless key.
 * The conflicting value is the identifier hint, except for an oidc
 * identifier (a provider's subject means nothing to the person); failing
 * that, the single identifier of a password, webauthn or passkey credential.
 */
export function duplicateHints(found: Identity, conflictAddress: string, conflictType: string): DuplicateHints {
  let identifierHint = conflictType === "oidc" ? "" : goTrim(conflictAddress, " ");
  const credentials: string[] = [];
  let providers: string[] = [];
  const hintFrom = (identifiers: string[]) => {
    if (identifierHint === "" && identifiers.length === 1) identifierHint = identifiers[0] ?? "";
  };
  for (const credential of Object.values(found.credentials).sort((a, b) => byString(a.type, b.type))) {
    switch (credential.type) {
      case "password": {
        hintFrom(credential.identifiers);
        const hash = credential.config.hashed_password;
        if (typeof hash === "string" && hash !== "") credentials.push("password");
        break;
      }
      case "code":
        credentials.push("code");
        break;
      case "oidc": {
        const config = oidcConfig.safeParse(credential.config);
        credentials.push("oidc");
        providers = config.success ? (config.data.providers ?? []).map((p) => p.provider) : [];
        break;
      }
      case "webauthn":
      case "passkey": {
        hintFrom(credential.identifiers);
        const config = webauthnConfig.safeParse(credential.config);
        if (config.success && (config.data.credentials ?? []).some((c) => c.is_passwordless === true)) credentials.push(credential.type);
        break;
      }
    }
  }
  return { credentials: credentials.sort(byString), providers: providers.sort(byString), identifierHint };
}

/** ErrDuplicateCredentials.HasHints: with none, Kratos answers 4000007 as with hints off. */
export const hasHints = (hints: DuplicateHints) =>
  hints.credentials.length > 0 || hints.providers.length > 0 || hints.identifierHint !== "";
