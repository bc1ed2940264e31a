import { goBytes, goPathUnescape, utf8Text } from "@olympus/server-kit/go-url";
import { goBigFloat } from "./jsonschema/go-format";
import type { ValidationError } from "./jsonschema/validation-error";

/**
 * What ory/x jsonschemax.FormatValidationErrorForCLI (print.go) writes for
 * a validation error of a JSON document: for every error of the tree, depth
 * first, the heading line, then — unless the error sits at the document's
 * root — the dotted path with the value found there (Go's `%+v` of
 * gjson's Value) and the message under it. Kratos prints it to stderr when
 * an identity schema fails its meta-schema (driver/config/config.go
 * formatJsonErrors).
 */
export function formatValidationErrorForCli(document: unknown, error: ValidationError): string {
  let out = "The configuration contains values or keys which are invalid:\n";
  const [pointer, message] = formatError(error);
  if (pointer === "#") {
    if (error.causes.length === 0) out += `(root)\n^-- ${message}\n\n`;
  } else {
    // `len(pointer)+3` empty strings joined by a space: one space per byte, and two more.
    const spaces = " ".repeat(Buffer.byteLength(pointer, "utf8") + 2);
    out += `${pointer}: ${goValue(valueAt(document, pointer))}\n${spaces}^-- ${message}\n\n`;
  }
  for (const cause of error.causes) out += formatValidationErrorForCli(document, cause);
  return out;
}

/** jsonschemax.FormatError: a `required` failure points at the first missing property. */
function formatError(error: ValidationError): [string, string] {
  let pointer = error.instancePtr;
  let message = error.message;
  const missing = error.missing?.[0];
  if (missing !== undefined) {
    message = "one or more required properties are missing";
    pointer = missing;
  }
  return [dotNotation(pointer) ?? error.instancePtr, message];
}

/** jsonschemax.JSONPointerToDotNotation: undefined where Go returns an error. */
function dotNotation(pointer: string): string | undefined {
  if (!pointer.startsWith("#/")) return undefined;
  const path: string[] = [];
  for (const token of pointer.slice(2).split("/")) {
    const unescaped = pathUnescape(token.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (unescaped === undefined) return undefined;
    path.push(unescaped.replace(/\./g, "\\."));
  }
  return path.join(".");
}

/** url.PathUnescape of the text's UTF-8 bytes, read back as UTF-8; undefined for a malformed escape. */
function pathUnescape(text: string): string | undefined {
  const unescaped = goPathUnescape(goBytes(text));
  return "value" in unescaped ? utf8Text(unescaped.value) : undefined;
}

/**
 * gjson.GetBytes(document, path).Value(), found by the dotted path's keys
 * (`\.` is a dot inside a key); undefined (Go's nil) where nothing is.
 * gjson's wildcards (`*`, `?`) and modifiers in keys are not interpreted.
 */
function valueAt(document: unknown, dotted: string): unknown {
  if (dotted.startsWith("#")) return undefined;
  let node = document;
  for (const key of dotted.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."))) {
    if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else if (typeof node === "object" && node !== null && !Array.isArray(node) && Object.hasOwn(node, key))
      node = (node as Record<string, unknown>)[key];
    else return undefined;
  }
  return node;
}

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** Go's `%+v` of a decoded JSON value: maps with sorted keys, slices space-separated, float64 in %g form. */
function goValue(value: unknown): string {
  if (value === undefined || value === null) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "number") return goBigFloat(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(goValue).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => byUtf8(a, b));
    return `map[${entries.map(([k, v]) => `${k}:${goValue(v)}`).join(" ")}]`;
  }
  // A parsed JSON document holds no other kind of value.
  return "<nil>";
}
