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

/** The indentation manifestTomlEx was given, and what runs per value written (StdContext.step: the evaluation's deadline). */
interface TomlStyle {
  indent: string;
  step: () => void;
}

function renderValue(v: Value, style: TomlStyle, path: (string | number)[], inline: boolean, current: string): string {
  style.step();
  if (v === null) throw new RuntimeFailure(`Tried to manifest "null" at ${goPath(path)}`);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return quoteJson(v);
  if (v instanceof JFunction) throw new RuntimeFailure(`Tried to manifest function at ${goPath(path)}`);
  if (v instanceof JArray) {
    if (!v.elements.length) return "[]";
    const inner = inline ? "" : current + style.indent;
    const separator = inline ? " " : "\n";
    const items = v.elements.map((e, j) => inner + renderValue(e.get(), style, [...path, j], true, ""));
    return `[${separator}${items.join(`,${separator}`)}${separator}${inline ? current : ""}]`;
  }
  const fields = sortedFields(v, false).map((name) => `${encodeKey(name)} = ${renderValue(v.get(name), style, [...path, name], true, "")}`);
  return `{ ${fields.join(", ")} }`;
}

const header = (path: string[]) => path.map(encodeKey).join(".");

function renderTable(v: JObject, style: TomlStyle, path: string[], indexed: (string | number)[], current: string): string {
  const newline = v.visibleFields().length > 0 ? "\n" : "";
  return `${current}[${header(path)}]${newline}${tableInternal(v, style, path, indexed, current + style.indent)}`;
}

function renderTableArray(v: JArray, style: TomlStyle, path: string[], indexed: (string | number)[], current: string): string {
  return v.elements
    .map((e, j) => {
      const table = e.get();
      if (!(table instanceof JObject)) throw new RuntimeFailure(`invalid type for section: ${typeName(table)}`);
      const newline = table.visibleFields().length > 0 ? "\n" : "";
      return `${current}[[${header(path)}]]${newline}${tableInternal(table, style, path, [...indexed, j], current + style.indent)}`;
    })
    .join("\n\n");
}

function tableInternal(v: JObject, style: TomlStyle, path: string[], indexed: (string | number)[], current: string): string {
  const fields: string[] = [];
  const sections: string[] = [""];
  for (const name of sortedFields(v, false)) {
    style.step();
    const value = v.get(name);
    if (isSection(value)) {
      if (value instanceof JObject) sections.push(renderTable(value, style, [...path, name], [...indexed, name], current));
      else if (value instanceof JArray) sections.push(renderTableArray(value, style, [...path, name], [...indexed, name], current));
    } else {
      // Line by line: a spread passes each as an argument, and a long text overflows JavaScript's stack.
      for (const line of `${encodeKey(name)} = ${renderValue(value, style, [...indexed, name], false, "")}`.split("\n")) fields.push(line);
    }
  }
  return (fields.length ? current : "") + fields.join(`\n${current}`) + sections.join("\n\n");
}

/** builtinManifestTomlEx; `step` runs for each value written (a long array of ready values evaluates no node). */
export function manifestToml(value: Value, indent: string, step: () => void): string {
  if (!(value instanceof JObject)) throw new RuntimeFailure(`TOML body must be an object. Got ${typeName(value)}`);
  return tableInternal(value, { indent, step }, [], [], "");
}
