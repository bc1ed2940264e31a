/**
 * How Hydra's handlers read a JSON body: Go's encoding/json decoding into a
 * struct. Unknown fields are ignored, `null` leaves a field at its zero
 * value, and a value of the wrong JSON type fails the whole body with Go's
 * own message ("json: cannot unmarshal string into Go struct field
 * HandledLoginRequest.remember of type bool"), which Hydra passes on in its
 * error description. An empty body is Go's "EOF".
 */

/** The Go types the admin bodies use, as Go names them in its error messages. */
export type GoType =
  | "bool"
  | "int"
  | "int64"
  | "string"
  | "[]string"
  | "map[string]interface {}"
  | "json.RawMessage"
  | "time.Time"
  | { struct: string; fields: GoFields };
export type GoFields = Record<string, GoType>;

export type GoDecoded = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  return "object";
}

function typeName(type: GoType): string {
  return typeof type === "string" ? type : type.struct;
}

class GoTypeError extends Error {}

function mismatch(value: unknown, struct: string, path: string, type: GoType): GoTypeError {
  const kind = jsonKind(value);
  const shown = kind === "number" ? `number ${String(value)}` : kind;
  return new GoTypeError(`json: cannot unmarshal ${shown} into Go struct field ${struct}.${path} of type ${typeName(type)}`);
}

function check(value: unknown, type: GoType, struct: string, path: string): void {
  if (value === null) return;
  if (typeof type !== "string") {
    if (jsonKind(value) !== "object") throw mismatch(value, struct, path, type);
    for (const [key, fieldType] of Object.entries(type.fields)) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) check(field, fieldType, struct, `${path}.${key}`);
    }
    return;
  }
  switch (type) {
    case "bool":
      if (typeof value !== "boolean") throw mismatch(value, struct, path, type);
      return;
    case "int":
    case "int64":
      if (typeof value !== "number" || !Number.isInteger(value)) throw mismatch(value, struct, path, type);
      return;
    case "string":
      if (typeof value !== "string") throw mismatch(value, struct, path, type);
      return;
    case "[]string":
      if (!Array.isArray(value)) throw mismatch(value, struct, path, type);
      for (const item of value) if (item !== null && typeof item !== "string") throw mismatch(item, struct, path, "string");
      return;
    case "map[string]interface {}":
      if (jsonKind(value) !== "object") throw mismatch(value, struct, path, type);
      return;
    case "time.Time":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
        throw new GoTypeError(`parsing time ${JSON.stringify(JSON.stringify(value))} as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse`);
      return;
    case "json.RawMessage":
      return;
  }
}

/** Decodes `text` like json.NewDecoder(body).Decode(&value) into a struct named `struct` with these JSON fields. */
export function decodeGoJson(text: string, struct: string, fields: GoFields): GoDecoded {
  if (!text.trim()) return { ok: false, message: "EOF" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      ok: false,
      message: text.trim().startsWith("{")
        ? "unexpected EOF"
        : `invalid character '${text.trim()[0] ?? ""}' looking for beginning of value`,
    };
  }
  if (jsonKind(parsed) !== "object") {
    if (parsed === null) return { ok: true, value: {} };
    return { ok: false, message: `json: cannot unmarshal ${jsonKind(parsed)} into Go value of type ${struct}` };
  }
  try {
    for (const [key, type] of Object.entries(fields)) {
      const value = (parsed as Record<string, unknown>)[key];
      if (value !== undefined) check(value, type, struct.replace(/^.*\./, ""), key);
    }
  } catch (error) {
    if (error instanceof GoTypeError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}
