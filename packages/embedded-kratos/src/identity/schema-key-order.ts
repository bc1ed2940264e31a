import { isPlainObject } from "../config/unknown-keys";

/** Go's gjson nesting limit is far above this; no identity schema nests deeper. */
const MAX_DEPTH = 256;

/**
 * The keys UI nodes are ordered by (schema/schema.go computeKeyPositions,
 * which GetKeysInOrder runs on the raw schema file): from the document's
 * root, each property of a schema whose `type` is the string "object" in
 * the file's order, a dot in a property name written `\.`; anything else —
 * a `$ref` among them, which is not followed — is one key. The node sort
 * matches keys as prefixes of node names, so a trait behind a `$ref` orders
 * all of its leaves at its own place.
 */
export function schemaKeysInOrder(document: unknown): string[] {
  const keys: string[] = [];
  const walk = (schema: unknown, parents: string[]): void => {
    if (isPlainObject(schema) && schema.type === "object" && parents.length < MAX_DEPTH) {
      const properties = isPlainObject(schema.properties) ? schema.properties : {};
      for (const [key, value] of Object.entries(properties)) walk(value, [...parents, key.replaceAll(".", "\\.")]);
      return;
    }
    keys.push(parents.join("."));
  };
  walk(document, []);
  return keys;
}
