import "server-only";
import { asRecord } from "@/shared/json";
import { valueAt } from "@/features/schemas/schema-form";
import { kratosAdmin } from "@/shared/server/ory";

/** A trait that Kratos makes a login identifier: the schema's `ory.sh/kratos.credentials.<type>.identifier`. */
interface IdentifierTrait {
  path: string[];
  label: string;
}

const IDENTIFIER_CREDENTIALS = ["password", "code", "webauthn", "passkey"];

/** The traits of an identity schema that Kratos indexes as login identifiers (identity/extension_credentials.go). */
export function identifierTraits(identitySchema: unknown): IdentifierTrait[] {
  const found: IdentifierTrait[] = [];
  const walk = (node: Record<string, unknown>, prefix: string[]) => {
    for (const [key, raw] of Object.entries(asRecord(node.properties))) {
      const property = asRecord(raw);
      const path = [...prefix, key];
      if (property.type === "object") {
        walk(property, path);
        continue;
      }
      const credentials = asRecord(asRecord(property["ory.sh/kratos"]).credentials);
      const isIdentifier = IDENTIFIER_CREDENTIALS.some((type) => asRecord(credentials[type]).identifier === true);
      if (isIdentifier)
        found.push({
          path,
          label: typeof property.title === "string" && property.title ? property.title.toLowerCase() : key.replace(/_/g, " "),
        });
    }
  };
  walk(asRecord(asRecord(asRecord(identitySchema).properties).traits), []);
  return found;
}

/**
 * After Kratos refused a new identity as a duplicate (409, which names no
 * field), which of its identifier traits another identity already signs in
 * with: looked up one by one with Kratos' exact identifier search. Keys are
 * the form's field names (`traits.email`).
 */
export async function takenIdentifierFields(schemaId: string, traits: Record<string, unknown>): Promise<Record<string, string>> {
  const schema = await kratosAdmin().getSchema(schemaId);
  const fields: Record<string, string> = {};
  for (const trait of identifierTraits(schema)) {
    const value = valueAt(traits, trait.path);
    if (typeof value !== "string" || !value.trim()) continue;
    // Kratos compares password identifiers trimmed and lower-cased; the exact search normalises the same way.
    const page = await kratosAdmin().listIdentities({ pageSize: 1, credentialsIdentifier: value.trim().toLowerCase() });
    if (page.items.length > 0) fields[`traits.${trait.path.join(".")}`] = `An identity with this ${trait.label} exists already.`;
  }
  return fields;
}
