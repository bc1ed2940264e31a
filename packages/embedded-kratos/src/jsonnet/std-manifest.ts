import { RuntimeFailure } from "./errors";
import { bool, goPath, sortedFields, str, type Definitions } from "./std-support";
import { manifestToml } from "./std-toml";
import { formatNumber, JArray, JFunction, JObject, quoteJson, toStringValue, typeName, type Value } from "./values";

/**
 * std's manifest functions: go-jsonnet's builtins manifestJsonEx and manifestYamlDoc (builtins.go) and std.jsonnet's
 * manifestJson, manifestJsonMinified, manifestYamlStream, manifestIni, manifestPython(Vars) and manifestXmlJsonml.
 */

/** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that read back as v, never in exponent form. */
export function goPlainFloat(v: number): string {
  if (Object.is(v, -0)) return "-0";
  const text = String(Math.abs(v));
  const sign = v < 0 ? "-" : "";
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return sign + text;
  const digits = (match[1] ?? "") + (match[2] ?? "");
  const point = 1 + Number(match[3]);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign + digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Go's encoding/json string encoding without HTML escaping (go-jsonnet's jsonEncode). */
export function goJsonString(s: string): string {
  const SHORT: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    const short = SHORT[c];
    if (short) out += short;
    else if (code < 0x20 || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd";
    else out += c;
  }
  return `${out}"`;
}

/** builtinManifestJSONEx. */
export function manifestJsonEx(value: Value, indent: string, newline: string, kvSep: string): string {
  const aux = (v: Value, path: (string | number)[], current: string): string => {
    if (v === null) return "null";
    if (typeof v === "string") return goJsonString(v);
    if (typeof v === "number") return goPlainFloat(v);
    if (typeof v === "boolean") return String(v);
    if (v instanceof JFunction) throw new RuntimeFailure(`tried to manifest function at ${goPath(path)}`);
    const inner = current + indent;
    if (v instanceof JArray) {
      const lines = v.elements.map((e, i) => inner + aux(e.get(), [...path, i], inner));
      return `[${newline}${lines.join(`,${newline}`)}${newline}${current}]`;
    }
    const lines = sortedFields(v, false).map((name) => inner + goJsonString(name) + kvSep + aux(v.get(name), [...path, name], inner));
    return `{${newline}${lines.join(`,${newline}`)}${newline}${current}}`;
  };
  return aux(value, [], "");
}

const YAML_INDENT = "  ";
const YAML_RESERVED = ["true", "false", "yes", "no", "on", "off", "y", "n", ".nan", "-.inf", "+.inf", ".inf", "null", "-", "---", "''"];

/** yamlBareSafe: a key manifestYamlDoc may leave unquoted with quote_keys=false. */
function yamlBareSafe(s: string): boolean {
  if (!/^[A-Za-z0-9_\-/.]+$/.test(s)) return false;
  if (YAML_RESERVED.includes(s.toLowerCase())) return false;
  if (/^(?:[0-9]*-){2}[0-9]*$/.test(s) || /^[-+]?0b[0-1_]+$/.test(s) || /[-+]?0x[0-9a-fA-F_]+/.test(s)) return false;
  // strconv.Atoi / ParseFloat would read it as a number.
  if (/^[+-]?[0-9]+$/.test(s)) return false;
  if (/^[+-]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?$/.test(s) && /[0-9]/.test(s) && !/__|^_|_$/.test(s)) return false;
  if (/^[+-]?(?:inf|infinity|nan)$/i.test(s)) return false;
  return true;
}

const fieldCount = (o: JObject) => o.visibleFields().length;

/** builtinManifestYamlDoc. */
export function manifestYamlDoc(value: Value, indentArrayInObject: boolean, quoteKeys: boolean): string {
  let out = "";
  const aux = (v: Value, current: string): void => {
    if (v === null || typeof v === "boolean") out += String(v);
    else if (typeof v === "number") out += goPlainFloat(v);
    else if (typeof v === "string") {
      if (v === "") out += '""';
      else if (v.endsWith("\n")) {
        out += "|";
        for (const line of v.slice(0, -1).split("\n")) out += `\n${current}${YAML_INDENT}${line}`;
      } else out += quoteJson(v);
    } else if (v instanceof JFunction) {
      // go-jsonnet's aux has no case for functions and writes nothing.
    } else if (v instanceof JArray) {
      if (!v.elements.length) {
        out += "[]";
        return;
      }
      v.elements.forEach((element, ix) => {
        if (ix !== 0) out += `\n${current}`;
        const item = element.get();
        out += "-";
        if (item instanceof JArray && item.elements.length > 0) out += `\n${current}${YAML_INDENT}`;
        else out += " ";
        aux(item, item instanceof JArray || item instanceof JObject ? current + YAML_INDENT : current);
      });
    } else {
      const names = sortedFields(v, false);
      if (!names.length) {
        out += "{}";
        return;
      }
      names.forEach((name, ix) => {
        const item = v.get(name);
        if (ix !== 0) out += `\n${current}`;
        out += `${quoteKeys || !yamlBareSafe(name) ? quoteJson(name) : name}:`;
        let next = current;
        if (item instanceof JArray && item.elements.length > 0) {
          out += `\n${current}`;
          if (indentArrayInObject) {
            out += YAML_INDENT;
            next = current + YAML_INDENT;
          }
        } else if (item instanceof JObject && fieldCount(item) > 0) {
          out += `\n${current}${YAML_INDENT}`;
          next = current + YAML_INDENT;
        } else out += " ";
        aux(item, next);
      });
    }
  };
  aux(value, "");
  return out;
}

function manifestPython(v: Value): string {
  if (v instanceof JObject)
    return `{${sortedFields(v, false)
      .map((k) => `${quoteJson(k)}: ${manifestPython(v.get(k))}`)
      .join(", ")}}`;
  if (v instanceof JArray) return `[${v.elements.map((e) => manifestPython(e.get())).join(", ")}]`;
  if (typeof v === "string") return quoteJson(v);
  if (v instanceof JFunction) throw new RuntimeFailure("cannot manifest function");
  if (typeof v === "number") return formatNumber(v);
  return v === true ? "True" : v === false ? "False" : "None";
}

function manifestIni(ini: JObject): string {
  const bodyLines = (body: Value): string[] => {
    if (!(body instanceof JObject)) throw new RuntimeFailure(`Unexpected type ${typeName(body)}, expected object`);
    return sortedFields(body, false).flatMap((k) => {
      const value = body.get(k);
      const values = value instanceof JArray ? value.elements.map((e) => e.get()) : [value];
      return values.map((item) => `${k} = ${toStringValue(item)}`);
    });
  };
  const main = ini.visibleFields().includes("main") ? bodyLines(ini.get("main")) : [];
  const sections = ini.get("sections");
  if (!(sections instanceof JObject)) throw new RuntimeFailure(`Unexpected type ${typeName(sections)}, expected object`);
  const sectionLines = sortedFields(sections, false).flatMap((name) => [`[${name}]`, ...bodyLines(sections.get(name))]);
  return [...main, ...sectionLines, ""].join("\n");
}

function manifestXmlJsonml(value: Value): string {
  if (!(value instanceof JArray)) throw new RuntimeFailure(`Expected a JSONML value (an array), got ${typeName(value)}`);
  const aux = (v: Value): string => {
    if (typeof v === "string") return v;
    if (!(v instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(v)}, expected array`);
    const [tagThunk, ...rest] = v.elements;
    const tag = tagThunk?.get() ?? null;
    if (typeof tag !== "string") throw new RuntimeFailure(`Expected string or array, got ${typeName(tag)}`);
    const second = rest[0]?.get();
    const hasAttrs = second instanceof JObject;
    const attrs = second instanceof JObject ? sortedFields(second, false).map((k) => ` ${k}="${toStringValue(second.get(k))}"`) : [];
    const children = (hasAttrs ? rest.slice(1) : rest).map((child) => aux(child.get()));
    return `<${tag}${attrs.join("")}>${children.join("")}</${tag}>`;
  };
  return aux(value);
}

export function manifestDefinitions(): Definitions {
  return {
    manifestJsonEx: {
      params: ["value", "indent", "newline", "key_val_sep"],
      defaults: { newline: "\n", key_val_sep: ": " },
      body: ([v, indent, newline, sep]) => manifestJsonEx(v ?? null, str(indent), str(newline), str(sep)),
    },
    manifestYamlDoc: {
      params: ["value", "indent_array_in_object", "quote_keys"],
      defaults: { indent_array_in_object: false, quote_keys: true },
      body: ([v, indentArrays, quoteKeys]) => manifestYamlDoc(v ?? null, bool(indentArrays), bool(quoteKeys)),
    },
    manifestYamlStream: {
      params: ["value", "indent_array_in_object", "c_document_end", "quote_keys"],
      defaults: { indent_array_in_object: false, c_document_end: true, quote_keys: true },
      body: ([v, indentArrays, documentEnd, quoteKeys]) => {
        if (!(v instanceof JArray)) throw new RuntimeFailure(`manifestYamlStream only takes arrays, got ${typeName(v ?? null)}`);
        const docs = v.elements.map((e) => manifestYamlDoc(e.get(), bool(indentArrays), bool(quoteKeys)));
        return `---\n${docs.join("\n---\n")}${documentEnd === true ? "\n...\n" : "\n"}`;
      },
    },
    manifestIni: {
      params: ["ini"],
      body: ([ini]) => {
        if (!(ini instanceof JObject)) throw new RuntimeFailure(`Unexpected type ${typeName(ini ?? null)}, expected object`);
        return manifestIni(ini);
      },
    },
    manifestToml: { params: ["value"], body: ([v]) => manifestToml(v ?? null, "  ") },
    manifestTomlEx: { params: ["value", "indent"], body: ([v, indent]) => manifestToml(v ?? null, str(indent)) },
    manifestPython: { params: ["v"], body: ([v]) => manifestPython(v ?? null) },
    manifestPythonVars: {
      params: ["conf"],
      body: ([conf]) => {
        if (!(conf instanceof JObject)) throw new RuntimeFailure(`Unexpected type ${typeName(conf ?? null)}, expected object`);
        return [...sortedFields(conf, false).map((k) => `${k} = ${manifestPython(conf.get(k))}`), ""].join("\n");
      },
    },
    manifestXmlJsonml: { params: ["value"], body: ([v]) => manifestXmlJsonml(v ?? null) },
  };
}
