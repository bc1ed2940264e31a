import { Composer, Lexer, parseDocument, Parser, type Document } from "yaml";
import { goYamlSyntaxError, indentQuotedContinuations, trailingAfterRoot, unknownAnchorBefore } from "./go-yaml-errors";
import { DecodeFailure, GO_YAML_TAGS, GoFloat } from "./go-yaml-resolve";
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

const CONVERT_ERROR = "failed to parse YAML: error converting YAML to JSON";

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

/**
 * decode.go's failures, in document order as go-yaml v2 decodes (before sigs.k8s.io/yaml converts anything): a
 * scalar its tag refuses, bad `!!binary` data, and a sequence or mapping used as a map key (map[interface{}]interface{}
 * cannot hold it).
 */
function checkDecoded(value: unknown): void {
  if (value instanceof DecodeFailure) throw new RuntimeFailure(`${CONVERT_ERROR}: yaml: ${value.message}`);
  if (Array.isArray(value)) value.forEach(checkDecoded);
  if (value instanceof Map) {
    for (const [key, entry] of value) {
      checkDecoded(key);
      if (Array.isArray(key) || key instanceof Map) throw new RuntimeFailure(`${CONVERT_ERROR}: yaml: invalid map key: ${goSyntax(key)}`);
      checkDecoded(entry);
    }
  }
}

/** convertToJSONableObject and json.Marshal: map keys become strings, floats must be finite (the first one in key order). */
function toJsonData(value: unknown): unknown {
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
 * builtinParseYAML: go-jsonnet's YAMLReader reads the text line by line (LineReader: bufio ReadLine, which drops
 * the `\n` or `\r\n`, then a `\n` added to every line) and splits it at lines that are `---` (plus trailing
 * space); more than one such separator anywhere makes the result a stream (an array of the documents), empty
 * documents skipped.
 */
export function parseYaml(text: string, step: () => void = () => undefined): Value {
  const documents: string[] = [];
  let current = "";
  let stream = false;
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  lines.forEach((line, index) => {
    step();
    const ended = index < lines.length - 1 || text.endsWith("\n");
    const content = ended && line.endsWith("\r") ? line.slice(0, -1) : line;
    if (/^---\s*$/.test(content)) {
      stream = true;
      if (current !== "") documents.push(current);
      current = "";
      return;
    }
    current += `${content}\n`;
  });
  if (current !== "") documents.push(current);
  const parsed = documents.map((document) => {
    const data = readDocument(document, step);
    checkDecoded(data);
    return fromJson(toJsonData(data));
  });
  if (stream) return array(parsed);
  return parsed[0] ?? null;
}

const YAML_OPTIONS = { version: "1.1", customTags: GO_YAML_TAGS, uniqueKeys: false } as const;

/**
 * The `yaml` package's parseDocument, with the evaluation's clock read at each lexeme its lexer hands the parser (the
 * package has no deadline of its own, and the parser hands over a whole block collection as one token, so a long
 * document would otherwise hold the process past the one second; lexing and parsing are most of the time, composing
 * the document from what was read in time the rest). A document with errors is read again by parseDocument itself,
 * whose error messages go-yaml-errors.ts maps; that second read costs what the first, finished in time, did.
 */
function parseDocumentTimed(text: string, step: () => void): Document.Parsed {
  const composer = new Composer(YAML_OPTIONS);
  // Parser.parse with a lexer of our own, as the package's Parser documentation shows.
  function* tokens() {
    const parser = new Parser();
    for (const lexeme of new Lexer().lex(text)) {
      step();
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  let first: Document.Parsed | undefined;
  for (const doc of composer.compose(tokens(), true, text.length)) {
    // A second document is parseDocument's MULTIPLE_DOCS error (the reader above split at `---` lines already).
    if (first) return parseDocument(text, YAML_OPTIONS);
    first = doc;
  }
  if (!first || first.errors.length > 0) return parseDocument(text, YAML_OPTIONS);
  return first;
}

/** go-yaml v2 Unmarshal of one document into interface{}: its syntax errors and unknown anchors with go-yaml's words. */
function readDocument(text: string, step: () => void): unknown {
  let document = text;
  let doc = parseDocumentTimed(document, step);
  // Each quoted scalar is re-indented at most once, so this ends.
  const done = new Set<number>();
  for (let [error] = doc.errors; error; [error] = doc.errors) {
    const indented = indentQuotedContinuations(document, error);
    if (indented === undefined || done.has(indented.start)) break;
    done.add(indented.start);
    document = indented.text;
    doc = parseDocument(document, { version: "1.1", customTags: GO_YAML_TAGS, uniqueKeys: false });
  }
  const [error] = doc.errors;
  if (error && !trailingAfterRoot(doc, document)) {
    const anchor = unknownAnchorBefore(doc, error.pos[0]);
    if (anchor !== undefined) throw new RuntimeFailure(`${CONVERT_ERROR}: yaml: unknown anchor '${anchor}' referenced`);
    const message = goYamlSyntaxError(document, error);
    throw new RuntimeFailure(message ? `${CONVERT_ERROR}: ${message}` : `failed to parse YAML: ${error.message}`);
  }
  try {
    const data: unknown = doc.toJS({ mapAsMap: true });
    return data;
  } catch (error) {
    // Alias.toJS: an alias whose anchor comes later or nowhere (decode.go parser.alias fails the same way).
    const alias =
      error instanceof ReferenceError
        ? /^Unresolved alias \(the anchor must be set before the alias\): \*?(.*)$/.exec(error.message)
        : null;
    if (alias) throw new RuntimeFailure(`${CONVERT_ERROR}: yaml: unknown anchor '${alias[1] ?? ""}' referenced`);
    throw new RuntimeFailure(`failed to parse YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}
