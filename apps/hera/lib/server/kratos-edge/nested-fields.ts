/**
 * The values inside a JSON object under their dotted names (`traits.email`),
 * as Kratos' schema paths reach them: decoderx hands an object to the schema
 * path it names, so every address nested in it is one Kratos may mail.
 * Arrays add each item under the same name; nesting past 8 levels is not
 * read (no identity schema nests deeper).
 */
export function addNestedFields(value: unknown, name: string, add: (name: string, value: string) => void, depth = 1): void {
  if (depth > 8) return;
  if (typeof value === "string") add(name, value);
  else if (typeof value === "number" || typeof value === "boolean") add(name, String(value));
  else if (Array.isArray(value)) for (const item of value) addNestedFields(item, name, add, depth + 1);
  else if (typeof value === "object" && value !== null)
    for (const [key, inner] of Object.entries(value)) addNestedFields(inner, `${name}.${key}`, add, depth + 1);
}

/**
 * The dotted fields of a form value that is a JSON object's text. decoderx's
 * decodeURLValues sets a schema path of object type (the profile and
 * registration schemas' `traits`, a `$ref` to the identity schema's traits)
 * from the raw value (sjson.SetRawBytes), so `traits={"email":"x@y"}` in a
 * form, or the JSON string `"traits":"{\"email\":…}"`, carries the traits
 * object. Nothing for any other value.
 */
export function objectTextFields(name: string, text: string): [string, string][] {
  if (!text.trimStart().startsWith("{")) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  const fields: [string, string][] = [];
  addNestedFields(parsed, name, (field, value) => fields.push([field, value]));
  return fields;
}
