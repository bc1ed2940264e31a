import type { ErrorObject } from "ajv";
import { ajvParamText, ajvTypeNames } from "./ajv-params";

/**
 * The text Kratos' admin API puts in `reason` when traits do not validate:
 * ory/jsonschema's ValidationError.Error(), e.g.
 * `I[#/traits/email] S[#/properties/traits/properties/email/format] "x" is not valid "email"`,
 * built here from ajv's errors. Several failures nest under
 * `validation failed` nodes per object level, indented by two spaces, as
 * ory/jsonschema groups them (its property order is a Go map's, so random;
 * here it is ajv's).
 */

interface Leaf {
  instance: string[];
  schema: string[];
  message: string;
}

interface Node {
  instance: string[];
  schema: string[];
  message: string;
  causes: Node[];
}

/** Go's %q for the strings these messages quote (close to JSON for printable text). */
const goQuote = (value: unknown) => JSON.stringify(typeof value === "string" ? value : String(value));

/** Go's %#v of a decoded JSON primitive (callers answer objects and arrays themselves). */
function goValue(value: unknown): string {
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "<nil>";
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "boolean";
  return typeof value;
}

function valueAt(root: unknown, segments: string[]): unknown {
  let current = root;
  for (const s of segments) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (typeof current === "object" && current !== null) current = (current as Record<string, unknown>)[s];
    else return undefined;
  }
  return current;
}

const split = (pointer: string) =>
  pointer
    .replace(/^#/, "")
    .split("/")
    .filter((s) => s !== "");

function messageOf(error: ErrorObject, data: unknown): string {
  const p = error.params as Record<string, unknown>;
  const length = typeof data === "string" ? [...data].length : 0;
  switch (error.keyword) {
    case "type":
      return `expected ${ajvTypeNames(p.type).join(" or ")}, but got ${jsonType(data)}`;
    case "format":
      return `${goQuote(data)} is not valid ${goQuote(p.format)}`;
    case "minLength":
      return `length must be >= ${String(p.limit)}, but got ${length}`;
    case "maxLength":
      return `length must be <= ${String(p.limit)}, but got ${length}`;
    case "pattern":
      return `does not match pattern ${goQuote(p.pattern)}`;
    case "minimum":
      return `must be >= ${String(p.limit)} but found ${String(data)}`;
    case "exclusiveMinimum":
      return `must be > ${String(p.limit)} but found ${String(data)}`;
    case "maximum":
      return `must be <= ${String(p.limit)} but found ${String(data)}`;
    case "exclusiveMaximum":
      return `must be < ${String(p.limit)} but found ${String(data)}`;
    case "multipleOf":
      return `${String(data)} not multipleOf ${String(p.multipleOf)}`;
    case "minItems":
      return `minimum ${String(p.limit)} items allowed, but found ${Array.isArray(data) ? data.length : 0} items`;
    case "maxItems":
      return `maximum ${String(p.limit)} items allowed, but found ${Array.isArray(data) ? data.length : 0} items`;
    case "minProperties":
      return `minimum ${String(p.limit)} properties allowed, but found ${Object.keys(data ?? {}).length} properties`;
    case "maxProperties":
      return `maximum ${String(p.limit)} properties allowed, but found ${Object.keys(data ?? {}).length} properties`;
    case "uniqueItems": {
      const [a, b] = [Number(p.i), Number(p.j)].sort((x, y) => x - y);
      return `items at index ${a} and ${b} are equal`;
    }
    case "enum": {
      const values = Array.isArray(p.allowedValues) ? (p.allowedValues as unknown[]) : [];
      if (values.some((v) => typeof v === "object" && v !== null)) return "enum failed";
      return values.length === 1 ? `value must be ${goValue(values[0])}` : `value must be one of ${values.map(goValue).join(", ")}`;
    }
    case "const":
      return typeof p.allowedValue === "object" && p.allowedValue !== null ? "const failed" : `value must be ${goValue(p.allowedValue)}`;
    default:
      return error.message ?? "validation failed";
  }
}

/** ajv reports one `required` error per missing property; ory/jsonschema one per object. */
function leavesOf(errors: readonly ErrorObject[], document: unknown): Leaf[] {
  const leaves: Leaf[] = [];
  const required = new Map<string, Leaf & { missing: string[] }>();
  // A type mismatch ends the checks of that location in ory/jsonschema.
  const typeFailed = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword !== "type" && typeFailed.has(error.instancePath)) continue;
    const instance = split(error.instancePath);
    const schema = split(error.schemaPath);
    if (error.keyword === "required") {
      const key = `${error.instancePath} ${error.schemaPath}`;
      let leaf = required.get(key);
      if (!leaf) {
        leaf = { instance, schema, message: "", missing: [] };
        required.set(key, leaf);
        leaves.push(leaf);
      }
      leaf.missing.push(ajvParamText(error.params.missingProperty));
      leaf.message = `missing properties: ${leaf.missing.map((m) => goQuote(m)).join(", ")}`;
      continue;
    }
    leaves.push({ instance, schema, message: messageOf(error, valueAt(document, instance)) });
  }
  return leaves;
}

/** The order in which ory/jsonschema checks keywords at one location (schema.go, validate). */
const KEYWORD_ORDER = [
  "type",
  "const",
  "enum",
  "format",
  "not",
  "allOf",
  "anyOf",
  "oneOf",
  "if",
  "minProperties",
  "maxProperties",
  "required",
  "additionalProperties",
  "dependencies",
  "minItems",
  "maxItems",
  "uniqueItems",
  "additionalItems",
  "contains",
  "minLength",
  "maxLength",
  "pattern",
  "contentEncoding",
  "contentMediaType",
  "minimum",
  "exclusiveMinimum",
  "maximum",
  "exclusiveMaximum",
  "multipleOf",
];
const keywordRank = (node: Node) => {
  const rank = KEYWORD_ORDER.indexOf(node.schema[node.schema.length - 1] ?? "");
  return rank < 0 ? KEYWORD_ORDER.length : rank;
};

/** Groups leaves under the object level (`properties/<name>`, `items`) they were found in. */
function group(leaves: Leaf[], instance: string[], schema: string[]): Node | undefined {
  const local: Node[] = [];
  const children = new Map<string, { leaves: Leaf[]; instance: string[]; schema: string[] }>();
  for (const leaf of leaves) {
    const rest = leaf.schema.slice(schema.length);
    const descend =
      rest[0] === "properties" && rest.length > 2
        ? { instance: [...instance, rest[1] ?? ""], schema: [...schema, "properties", rest[1] ?? ""] }
        : rest[0] === "items" && rest.length > 1 && leaf.instance.length > instance.length
          ? { instance: [...instance, leaf.instance[instance.length] ?? ""], schema: [...schema, "items"] }
          : undefined;
    if (!descend) {
      local.push({ instance: leaf.instance, schema: leaf.schema, message: leaf.message, causes: [] });
      continue;
    }
    const key = descend.instance.join("/");
    const child = children.get(key) ?? { leaves: [], ...descend };
    child.leaves.push(leaf);
    children.set(key, child);
  }
  local.sort((a, b) => keywordRank(a) - keywordRank(b));
  const nodes = [
    ...local,
    ...[...children.values()].map((c) => group(c.leaves, c.instance, c.schema)).filter((n): n is Node => n !== undefined),
  ];
  if (nodes.length === 0) return undefined;
  if (nodes.length === 1) return nodes[0];
  return { instance, schema, message: "validation failed", causes: nodes };
}

function render(node: Node): string {
  const pointer = (segments: string[]) => (segments.length === 0 ? "#" : `#/${segments.join("/")}`);
  let text = `I[${pointer(node.instance)}] S[${pointer(node.schema)}] ${node.message}`;
  for (const cause of node.causes) for (const line of render(cause).split("\n")) text += `\n  ${line}`;
  return text;
}

/** The ValidationError text for ajv's errors of validating `document` (the `{traits}` wrapper). */
export function validationErrorText(errors: readonly ErrorObject[], document: unknown): string {
  const node = group(leavesOf(errors, document), [], []);
  return node ? render(node) : "I[#] S[#] validation failed";
}
