import type { Deps } from "../../../deps";
import type { Identity } from "../../../identity/identity";
import { normalizeIdentifier } from "../../../identity/extensions";

/**
 * The identity a one-time login code may be sent for: the owner of a `code`
 * credential holding the identifier (selfservice/strategy/code/strategy_login.go,
 * findIdentityByIdentifier). Every identity whose schema marks a code
 * identifier has one (the schema extension creates it); an identity found
 * only through another credential would need Kratos'
 * `missing_credential_fallback_enabled`, which is off, so it gets none.
 */
export async function findCodeIdentity(deps: Deps, rawIdentifier: string): Promise<Identity | undefined> {
  const identifier = normalizeIdentifier(rawIdentifier);
  if (identifier === "") return undefined;
  const found = await deps.identityRepository.findByCredentialIdentifier("code", identifier);
  return found && found.credential.identifiers.length > 0 ? found.identity : undefined;
}

/** Canonical JSON (sorted keys) to compare trait objects. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
