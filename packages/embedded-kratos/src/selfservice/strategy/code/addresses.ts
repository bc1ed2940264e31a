import type { Deps } from "../../../deps";
import type { Identity } from "../../../identity/identity";
import { type CodeAddress, normalizeIdentifier } from "../../../identity/extensions";

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

/**
 * Where a login code goes (strategy_login.go loginSendCode): the address of
 * the identity's `code` credential (config `addresses[]`) that equals the
 * identifier, or, when none does, every address the credential lists — each
 * gets its own code (code_sender.go SendCode).
 */
export function loginCodeAddresses(identity: Identity, identifier: string): CodeAddress[] {
  const listed = identity.credentials.code?.config.addresses;
  const addresses = (Array.isArray(listed) ? (listed as unknown[]) : []).filter(
    (a): a is CodeAddress =>
      typeof a === "object" &&
      a !== null &&
      typeof (a as { address?: unknown }).address === "string" &&
      ((a as { channel?: unknown }).channel === "email" || (a as { channel?: unknown }).channel === "sms"),
  );
  const matching = addresses.find((a) => a.address === identifier);
  return matching ? [matching] : addresses;
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
