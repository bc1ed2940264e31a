import { asRecord, isRecord } from "@/shared/json";

/**
 * A form field generated from an identity schema's `traits` properties.
 * Shared by the server (which derives the fields) and the client form.
 */
export interface TraitField {
  /** Path under traits, e.g. ["name", "first"]; the input name is its dotted form. */
  path: string[];
  label: string;
  kind: "text" | "email" | "tel" | "url" | "date" | "number" | "integer" | "boolean" | "select" | "list";
  required: boolean;
  options?: string[];
  description?: string;
}

function labelOf(key: string, schema: Record<string, unknown>): string {
  return typeof schema.title === "string" && schema.title ? schema.title : key.replace(/[_-]/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function kindOf(schema: Record<string, unknown>): TraitField["kind"] | undefined {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string")) return "select";
  switch (schema.type) {
    case "string":
      if (schema.format === "email") return "email";
      if (schema.format === "tel") return "tel";
      if (schema.format === "uri" || schema.format === "url") return "url";
      if (schema.format === "date") return "date";
      return "text";
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "array":
      return isRecord(schema.items) && schema.items.type === "string" ? "list" : undefined;
    default:
      return undefined;
  }
}

/** The editable fields of an identity schema, depth-first, in the schema's order. */
export function traitFields(identitySchema: unknown): TraitField[] {
  const traits = asRecord(asRecord(asRecord(identitySchema).properties).traits);
  const fields: TraitField[] = [];
  const walk = (node: Record<string, unknown>, prefix: string[], parentLabel: string | undefined) => {
    const properties = asRecord(node.properties);
    const required = new Set(Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === "string") : []);
    for (const [key, raw] of Object.entries(properties)) {
      const schema = asRecord(raw);
      const label = labelOf(key, schema);
      if (schema.type === "object") {
        walk(schema, [...prefix, key], label);
        continue;
      }
      const kind = kindOf(schema);
      if (!kind) continue;
      const field: TraitField = {
        path: [...prefix, key],
        label: parentLabel ? `${parentLabel}: ${label}` : label,
        kind,
        required: required.has(key),
      };
      if (kind === "select" && Array.isArray(schema.enum)) field.options = schema.enum.filter((v): v is string => typeof v === "string");
      if (typeof schema.description === "string") field.description = schema.description;
      fields.push(field);
    }
  };
  walk(traits, [], undefined);
  return fields;
}

export function valueAt(traits: unknown, path: readonly string[]): unknown {
  let node: unknown = traits;
  for (const key of path) node = asRecord(node)[key];
  return node;
}

/** The form's string value for a field (what the input shows). */
export function formValue(field: TraitField, traits: unknown): string {
  const value = valueAt(traits, field.path);
  if (value === undefined || value === null) return "";
  if (field.kind === "list" && Array.isArray(value)) return value.filter((v) => typeof v === "string").join(", ");
  if (field.kind === "boolean") return value === true ? "true" : "false";
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/**
 * Traits from the form's values, typed per field. Empty optional values are
 * left out, so Kratos' schema validation sees what an operator meant.
 * Unknown keys of the existing traits are kept.
 */
export function buildTraits(
  fields: readonly TraitField[],
  values: Readonly<Record<string, string>>,
  existing: unknown = {},
): Record<string, unknown> {
  const traits: Record<string, unknown> = structuredClone(asRecord(existing));
  for (const field of fields) {
    const raw = (values[field.path.join(".")] ?? "").trim();
    let value: unknown;
    if (field.kind === "boolean") value = raw === "true";
    else if (raw === "") value = undefined;
    else if (field.kind === "number") value = Number(raw);
    else if (field.kind === "integer") value = Number.parseInt(raw, 10);
    else if (field.kind === "list")
      value = raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    else value = raw;
    setAt(traits, field.path, value);
  }
  return traits;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else target[head] = value;
    return;
  }
  const child = isRecord(target[head]) ? asRecord(target[head]) : {};
  target[head] = child;
  setAt(child, rest, value);
  if (Object.keys(child).length === 0) delete target[head];
}
