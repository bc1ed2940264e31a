import { RuntimeFailure } from "./errors";
import { goPath, sortedFields } from "./std-support";
import { formatNumber, JArray, JFunction, JObject, quoteJson, typeName, type Value } from "./values";

/**
 * std.manifestTomlEx as go-jsonnet's builtin renders it (builtins.go builtinManifestTomlEx, tomlTableInternal,
 * tomlRenderTable, tomlRenderTableArray, tomlRenderValue, tomlEncodeKey).
 */

/** tomlEncodeKey: bare when only letters, digits, `-` and `_`; the empty key as `''`; otherwise a quoted string. */
function encodeKey(key: string): string {
  if (key === "") return "''";
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : quoteJson(key);
}

/** tomlIsSection: an object, or a non-empty array of objects only. */
function isSection(v: Value): boolean {
  if (v instanceof JObject) return true;
  return v instanceof JArray && v.elements.length > 0 && v.elements.every((e) => e.get() instanceof JObject);
}

function renderValue(v: Value, indent: string, path: (string | number)[], inline: boolean, current: string): string {
  if (v === null) throw new RuntimeFailure(`Tried to manifest "null" at ${goPath(path)}`);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return quoteJson(v);
  if (v instanceof JFunction) throw new RuntimeFailure(`Tried to manifest function at ${goPath(path)}`);
  if (v instanceof JArray) {
    if (!v.elements.length) return "[]";
    const inner = inline ? "" : current + indent;
    const separator = inline ? " " : "\n";
    const items = v.elements.map((e, j) => inner + renderValue(e.get(), indent, [...path, j], true, ""));
    return `[${separator}${items.join(`,${separator}`)}${separator}${inline ? current : ""}]`;
  }
  const fields = sortedFields(v, false).map(
    (name) => `${encodeKey(name)} = ${renderValue(v.get(name), indent, [...path, name], true, "")}`,
  );
  return `{ ${fields.join(", ")} }`;
}

const header = (path: string[]) => path.map(encodeKey).join(".");

function renderTable(v: JObject, indent: string, path: string[], indexed: (string | number)[], current: string): string {
  const newline = v.visibleFields().length > 0 ? "\n" : "";
  return `${current}[${header(path)}]${newline}${tableInternal(v, indent, path, indexed, current + indent)}`;
}

function renderTableArray(v: JArray, indent: string, path: string[], indexed: (string | number)[], current: string): string {
  return v.elements
    .map((e, j) => {
      const table = e.get();
      if (!(table instanceof JObject)) throw new RuntimeFailure(`invalid type for section: ${typeName(table)}`);
      const newline = table.visibleFields().length > 0 ? "\n" : "";
      return `${current}[[${header(path)}]]${newline}${tableInternal(table, indent, path, [...indexed, j], current + indent)}`;
    })
    .join("\n\n");
}

function tableInternal(v: JObject, indent: string, path: string[], indexed: (string | number)[], current: string): string {
  const fields: string[] = [];
  const sections: string[] = [""];
  for (const name of sortedFields(v, false)) {
    const value = v.get(name);
    if (isSection(value)) {
      if (value instanceof JObject) sections.push(renderTable(value, indent, [...path, name], [...indexed, name], current));
      else if (value instanceof JArray) sections.push(renderTableArray(value, indent, [...path, name], [...indexed, name], current));
    } else {
      fields.push(...`${encodeKey(name)} = ${renderValue(value, indent, [...indexed, name], false, "")}`.split("\n"));
    }
  }
  return (fields.length ? current : "") + fields.join(`\n${current}`) + sections.join("\n\n");
}

export function manifestToml(value: Value, indent: string): string {
  if (!(value instanceof JObject)) throw new RuntimeFailure(`TOML body must be an object. Got ${typeName(value)}`);
  return tableInternal(value, indent, [], [], "");
}
