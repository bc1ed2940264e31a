import { RuntimeFailure } from "./errors";
import { bool, goPath, sortedFields, str, type Definitions, type StdContext } from "./std-support";
import { manifestToml } from "./std-toml";
import { JArray, JFunction, JObject, quoteJson, type Value } from "./values";

/**
 * std's manifest functions: go-jsonnet's builtins manifestJsonEx, manifestYamlDoc and manifestTomlEx (builtins.go) and
 * std.jsonnet's manifestIni, manifestPython(Vars) and manifestXmlJsonml (std-jsonnet-functions.ts and
 * std-jsonnet-manifest.ts run the other std.jsonnet ones with their frames).
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

/**
 * builtinManifestJSONEx. `step` runs for each value written: a long array of ready values runs no step the evaluator
 * counts, so the evaluation's deadline is looked at from here (StdContext.step).
 */
export function manifestJsonEx(value: Value, indent: string, newline: string, kvSep: string, step: () => void): string {
  const aux = (v: Value, path: (string | number)[], current: string): string => {
    step();
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

/** builtinManifestYamlDoc; `step` runs for each value written, as in manifestJsonEx. */
export function manifestYamlDoc(value: Value, indentArrayInObject: boolean, quoteKeys: boolean, step: () => void): string {
  let out = "";
  const aux = (v: Value, current: string): void => {
    step();
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

export function manifestDefinitions(context: StdContext): Definitions {
  return {
    manifestJsonEx: {
      params: ["value", "indent", "newline", "key_val_sep"],
      defaults: { newline: "\n", key_val_sep: ": " },
      body: ([v, indent, newline, sep]) => manifestJsonEx(v ?? null, str(indent), str(newline), str(sep), context.step),
    },
    manifestYamlDoc: {
      params: ["value", "indent_array_in_object", "quote_keys"],
      defaults: { indent_array_in_object: false, quote_keys: true },
      body: ([v, indentArrays, quoteKeys]) => manifestYamlDoc(v ?? null, bool(indentArrays), bool(quoteKeys), context.step),
    },
    manifestTomlEx: { params: ["value", "indent"], body: ([v, indent]) => manifestToml(v ?? null, str(indent), context.step) },
  };
}
