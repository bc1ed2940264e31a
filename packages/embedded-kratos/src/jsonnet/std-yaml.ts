import { parse as parseYamlDocument, type ScalarTag, type Tags } from "yaml";
import { RuntimeFailure } from "./errors";
import { array } from "./std-support";
import { fromJson, type Value } from "./values";

/**
 * std.parseYaml as go-jsonnet runs it (builtins.go builtinParseYAML, yaml.go YAMLToJSONDecoder): each document goes
 * through sigs.k8s.io/yaml Unmarshal — go-yaml v2 (go.yaml.in/yaml/v2) reads it into Go values, convertToJSONableObject
 * turns map keys into strings, json.Marshal writes JSON — and the JSON becomes the Jsonnet value. The `yaml` package
 * parses the YAML 1.1 syntax; the plain scalars are resolved here with go-yaml v2's resolve.go rules, which differ from
 * the YAML 1.1 schema: no sexagesimal numbers (`1:20` stays a string), Go's strconv.ParseInt prefixes (`0o17`),
 * a number too large for a float64 stays a string; `!!binary` is the decoded bytes as a string; a later duplicate key
 * wins; timestamps stay the text they were written as (go-yaml v2 keeps them strings for an interface{} target).
 */

const YAML_TAG = "tag:yaml.org,2002:";
const CONVERT_ERROR = "failed to parse YAML: error converting YAML to JSON";

/** A float go-yaml v2 resolved (not an int): a map key made of it is written with FormatFloat(…, 'g', -1, 32). */
class GoFloat {
  constructor(readonly value: number) {}
}

/** A `!!binary` scalar that is not base64: go-yaml v2 fails the document (reported once the value is converted). */
class InvalidBinary {}

/** go-yaml v2 resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat reads of a scalar starting with `.` (no underscores without a base prefix). */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

const SPECIAL: Record<string, number> = {
  ".nan": NaN,
  ".NaN": NaN,
  ".NAN": NaN,
  ".inf": Infinity,
  ".Inf": Infinity,
  ".INF": Infinity,
  "+.inf": Infinity,
  "+.Inf": Infinity,
  "+.INF": Infinity,
  "-.inf": -Infinity,
  "-.Inf": -Infinity,
  "-.INF": -Infinity,
};

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint as resolve does: the value, or undefined if neither reads it. */
function goParseInt(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ""] = match;
  const prefix = digits.slice(0, 2).toLowerCase();
  let magnitude: bigint;
  if (prefix === "0o") magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (prefix === "0x" || prefix === "0b") magnitude = BigInt(`${prefix}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith("0")) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = sign === "-" ? -magnitude : magnitude;
  const fitsInt64 = value >= -(2n ** 63n) && value < 2n ** 63n;
  // ParseUint takes no sign.
  const fitsUint64 = sign === "" && value < 2n ** 64n;
  return fitsInt64 || fitsUint64 ? Number(value) : undefined;
}

/** resolve.go resolve for an untagged plain scalar starting with a digit, a sign or a dot. */
function resolveNumber(text: string): number | GoFloat | string {
  const special = SPECIAL[text];
  if (special !== undefined) return new GoFloat(special);
  if (text.startsWith(".")) {
    const value = DOT_FLOAT.test(text) ? Number(text) : Infinity;
    return Number.isFinite(value) ? new GoFloat(value) : text;
  }
  const plain = text.replaceAll("_", "");
  const integer = goParseInt(plain);
  if (integer !== undefined) return integer;
  if (YAML_STYLE_FLOAT.test(plain)) {
    // ParseFloat reports a value beyond float64 as an error (ErrRange): the scalar stays a string.
    const value = Number(plain);
    if (Number.isFinite(value)) return new GoFloat(value);
  }
  return text;
}

/** decode.go: a `!!binary` scalar is base64 (line breaks ignored), decoded to a Go string; JSON keeps it as UTF-8 text. */
function resolveBinary(text: string): string | InvalidBinary {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return new InvalidBinary();
  return Buffer.from(compact, "base64").toString("utf8");
}

const numberTag = (tag: string, isDefault: boolean): ScalarTag => ({
  tag,
  default: isDefault,
  test: /^[-+.0-9]/,
  identify: (value) => typeof value === "number" || value instanceof GoFloat,
  resolve: (text) => resolveNumber(text),
});

/** The YAML 1.1 schema with go-yaml v2's numbers, `!!binary` and no timestamps in place of its own. */
const GO_YAML_TAGS = (tags: Tags): Tags => [
  ...tags.filter(
    (tag) =>
      typeof tag === "string" || ![`${YAML_TAG}int`, `${YAML_TAG}float`, `${YAML_TAG}timestamp`, `${YAML_TAG}binary`].includes(tag.tag),
  ),
  numberTag(`${YAML_TAG}int`, true),
  numberTag(`${YAML_TAG}float`, false),
  { tag: `${YAML_TAG}binary`, resolve: resolveBinary },
];

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that read back as the same float32; %e from 1e+06 and below 1e-04. */
function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  const single = Math.fround(value);
  if (single === 0) return Object.is(single, -0) ? "-0" : "0";
  let digits = "";
  for (let precision = 1; precision <= 9; precision++) {
    digits = single.toExponential(precision - 1);
    if (Math.fround(Number(digits)) === single) break;
  }
  const [mantissa = "", exponentText = "0"] = digits.split("e");
  const exponent = Number(exponentText);
  // ftoa.go: with the shortest digits, %e is used when the exponent is below -4 or at least 6.
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(Number(digits));
}

/** convertToJSONableObject and json.Marshal: map keys become strings, floats must be finite (the first one in key order). */
function toJsonData(value: unknown): unknown {
  if (value instanceof InvalidBinary) throw new RuntimeFailure(`${CONVERT_ERROR}: yaml: !!binary value contains invalid base64 data`);
  if (value instanceof GoFloat) return toJsonData(value.value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      const text = Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
      throw new RuntimeFailure(`${CONVERT_ERROR}: json: unsupported value: ${text}`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(toJsonData);
  if (value instanceof Map) {
    const out = new Map<string, unknown>();
    for (const [key, entry] of value) out.set(keyText(key, entry), entry);
    const sorted = [...out.keys()].sort();
    return Object.fromEntries(sorted.map((key) => [key, toJsonData(out.get(key))]));
  }
  return value ?? null;
}

function keyText(key: unknown, entry: unknown): string {
  if (typeof key === "string") return key;
  if (typeof key === "number") return String(key);
  if (key instanceof GoFloat) return formatFloat32(key.value);
  if (typeof key === "boolean") return key ? "true" : "false";
  const type = key === null ? "%!s(<nil>)" : Array.isArray(key) ? "[]interface {}" : "map[interface {}]interface {}";
  throw new RuntimeFailure(`${CONVERT_ERROR}: unsupported map key of type: ${type}, key: ${goSyntax(key)}, value: ${goSyntax(entry)}`);
}

/** fmt's %+#v of the Go value go-yaml v2 made (a map's entries in insertion order; Go's own order is random). */
function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (value instanceof GoFloat) return String(value.value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(", ")}}`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${goSyntax(k)}:${goSyntax(v)}`);
    return `map[interface {}]interface {}{${entries.join(", ")}}`;
  }
  return "?";
}

/**
 * builtinParseYAML: go-jsonnet's YAMLReader splits the text at lines that are `---` (plus trailing space); more than
 * one such separator anywhere makes the result a stream (an array of the documents), empty documents skipped.
 */
export function parseYaml(text: string): Value {
  const documents: string[] = [];
  let current = "";
  let stream = false;
  for (const line of text.split(/(?<=\n)/)) {
    if (/^---\s*$/.test(line)) {
      stream = true;
      if (current !== "") documents.push(current);
      current = "";
      continue;
    }
    current += line;
  }
  if (current !== "") documents.push(current);
  const parsed = documents.map((document) => {
    let data: unknown;
    try {
      data = parseYamlDocument(document, { version: "1.1", customTags: GO_YAML_TAGS, uniqueKeys: false, mapAsMap: true });
    } catch (error) {
      if (error instanceof RuntimeFailure) throw error;
      throw new RuntimeFailure(`failed to parse YAML: ${error instanceof Error ? error.message : String(error)}`);
    }
    return fromJson(toJsonData(data));
  });
  if (stream) return array(parsed);
  return parsed[0] ?? null;
}
