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

/**
 * The channel of a code address (CredentialsCode config `addresses[].channel`):
 * where its login code goes. Addresses the config does not list are email.
 */
export function codeAddressChannel(identity: Identity, address: string): "email" | "sms" {
  const addresses = identity.credentials.code?.config.addresses;
  const entry = Array.isArray(addresses)
    ? (addresses as unknown[]).find(
        (a): a is { channel: unknown } =>
          typeof a === "object" && a !== null && (a as { address?: unknown }).address === address && "channel" in a,
      )
    : undefined;
  return entry?.channel === "sms" ? "sms" : "email";
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
