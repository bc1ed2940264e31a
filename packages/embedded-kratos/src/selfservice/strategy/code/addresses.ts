import type { Deps } from "../../../deps";
import type { Identity } from "../../../identity/identity";
import { normalizeIdentifier } from "../../../identity/extensions";

/**
 * The identity a one-time login code may be sent for: the identifier must be
 * one the identity's schema marks as a code identifier
 * (`credentials.code.identifier`). Identities that never got a `code`
 * credential (created with a password or by an admin) are found through
 * their other identifiers or verifiable addresses, like Kratos' fallback.
 */
export async function findCodeIdentity(deps: Deps, rawIdentifier: string): Promise<Identity | undefined> {
  const identifier = normalizeIdentifier(rawIdentifier);
  if (identifier === "") return undefined;
  let identity = (await deps.identityRepository.findByCredentialIdentifier("code", identifier))?.identity;
  identity ??= (await deps.identityRepository.list({ pageSize: 1, credentialsIdentifier: identifier, withCredentials: true }))[0];
  if (!identity) {
    const { rows } = await deps.db.query<{ identity_id: string }>(
      "SELECT identity_id FROM identity_verifiable_addresses WHERE value = $1 LIMIT 1",
      [identifier],
    );
    const id = rows[0]?.identity_id;
    identity = id ? await deps.identityRepository.get(id, { withCredentials: true }) : undefined;
  }
  if (!identity) return undefined;
  return deps.identities.identifiersFor(identity.schemaId, identity.traits, "code").includes(identifier) ? identity : undefined;
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
