import { formPaths, type IdentitySchema } from "../../../identity/schema-registry";
import { readTrait } from "../../../identity/extensions";

/**
 * How Kratos names a passkey for the browser (passkey_schema_extension.go).
 */

/**
 * PasskeyDisplayNameFromIdentity: the trait marked
 * `credentials.passkey.display_name` as written, else the
 * `credentials.webauthn.identifier` trait lower-cased; the last such value
 * the validation visits wins, as the extension runner overwrites it.
 */
export function passkeyDisplayName(schema: IdentitySchema, traits: unknown): string {
  let displayName = "";
  let webauthnIdentifier = "";
  for (const path of schema.paths) {
    const raw = readTrait(traits, path.segments);
    if (raw === undefined) continue;
    const value = typeof raw === "string" ? raw : JSON.stringify(raw);
    if (path.extension.credentials?.webauthn?.identifier) webauthnIdentifier = value.toLowerCase();
    if (path.extension.credentials?.passkey?.display_name) displayName = value;
  }
  return displayName || webauthnIdentifier;
}

/**
 * PasskeyDisplayNameFromSchema: the form field webauthn.js reads the name
 * from at sign-up. The label is the title of the one trait marked as
 * webauthn identifier or passkey display name (none, or several: no label);
 * the field is the top-level trait with that title. Undefined is Kratos'
 * "no identifier found", which fails the form.
 */
export function displayNameFieldName(schema: IdentitySchema): string | undefined {
  const paths = formPaths(schema);
  const candidates = paths.filter(
    (p) => (p.extension.credentials?.webauthn?.identifier || p.extension.credentials?.passkey?.display_name) && p.title,
  );
  const label = candidates.length === 1 ? (candidates[0]?.title ?? "") : "";
  const field = paths.find((p) => p.segments.length === 1 && (p.title ?? "") === label);
  return field ? `traits.${field.segments[0]}` : undefined;
}
