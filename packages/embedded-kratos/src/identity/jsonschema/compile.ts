import { FORMATS, type FormatCheck } from "./formats";
import { escapeToken, goSyntaxValue } from "./go-format";

/**
 * Compiles a schema document into the structure ory/jsonschema's compiler
 * builds (compiler.go): one `Schema` per location, keyed by its JSON pointer
 * (Go's Schema.Ptr), `$ref`s resolved inside the document, enum messages
 * prepared, draft 4's boolean exclusive limits folded in.
 */

export type Json = unknown;
export type Obj = Record<string, Json>;

export const isObject = (value: Json): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);

function regex(source: string): RegExp {
  try {
    return new RegExp(source, "u");
  } catch {
    return new RegExp(source);
  }
}

export interface Schema {
  /** The schema's own pointer in the document, `#` or `#/definitions/x` (Go: Schema.Ptr). */
  ptr: string;
  always?: boolean;
  ref?: Schema;
  types: string[];
  constant?: { value: Json };
  enumValues?: Json[];
  enumError: string;
  format?: { name: string; check: FormatCheck };
  not?: Schema;
  allOf: Schema[];
  anyOf: Schema[];
  oneOf: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  minProperties?: number;
  maxProperties?: number;
  required: string[];
  properties: [string, Schema][];
  propertyNames?: Schema;
  patternProperties: [string, RegExp, Schema][];
  additionalProperties?: boolean | Schema;
  dependencies: [string, Schema | string[]][];
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  items?: Schema | Schema[];
  additionalItems?: boolean | Schema;
  contains?: Schema;
  minLength?: number;
  maxLength?: number;
  pattern?: { source: string; re: RegExp };
  contentEncoding?: string;
  contentMediaType?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

const num = (v: Json): number | undefined => (typeof v === "number" ? v : undefined);
const unescapePointer = (token: string) => decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");

/** Compiles schemas of one document; `$ref`s resolve to JSON pointers inside it. */
export class Compiler {
  private readonly cache = new Map<string, Schema>();
  constructor(private readonly root: Json) {}

  at(ptr: string): Schema {
    const cached = this.cache.get(ptr);
    if (cached) return cached;
    let node: Json = this.root;
    for (const token of ptr
      .replace(/^#\/?/, "")
      .split("/")
      .filter((t) => t !== "")) {
      const key = unescapePointer(token);
      node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
    }
    if (node === undefined) throw new Error(`cannot resolve $ref "${ptr}"`);
    const schema: Schema = {
      ptr,
      types: [],
      enumError: "",
      allOf: [],
      anyOf: [],
      oneOf: [],
      required: [],
      properties: [],
      patternProperties: [],
      dependencies: [],
      uniqueItems: false,
    };
    this.cache.set(ptr, schema);
    this.fill(schema, node);
    return schema;
  }

  /** A `$ref` chain that comes back to itself would never validate anything (Kratos' schema/prevalidate.go refuses it too). */
  refuseRefCycles(): void {
    for (const start of this.cache.values()) {
      const seen = new Set<Schema>([start]);
      for (let next = start.ref; next; next = next.ref) {
        if (seen.has(next)) throw new Error(`the $ref at "${start.ptr}" refers to itself`);
        seen.add(next);
      }
    }
  }

  private child(ptr: string, ...tokens: (string | number)[]): Schema {
    return this.at([ptr, ...tokens.map((t) => escapeToken(String(t)))].join("/"));
  }

  private fill(s: Schema, node: Json): void {
    if (typeof node === "boolean") {
      s.always = node;
      return;
    }
    if (!isObject(node)) return;
    const p = s.ptr;
    if (typeof node.$ref === "string") {
      if (!node.$ref.startsWith("#")) throw new Error(`only references inside the schema are supported, not "${node.$ref}"`);
      s.ref = this.at(node.$ref === "#" ? "#" : node.$ref);
      return;
    }
    if (typeof node.type === "string") s.types = [node.type];
    else if (Array.isArray(node.type)) s.types = node.type.filter((t): t is string => typeof t === "string");
    if ("const" in node) s.constant = { value: node.const };
    if (Array.isArray(node.enum)) {
      s.enumValues = node.enum;
      // compiler.go: primitives are listed with %#v, any object or array gives "enum failed".
      const primitive = node.enum.every((v) => !Array.isArray(v) && !isObject(v));
      s.enumError = !primitive
        ? "enum failed"
        : node.enum.length === 1
          ? `value must be ${goSyntaxValue(node.enum[0])}`
          : `value must be one of ${node.enum.map(goSyntaxValue).join(", ")}`;
    }
    if (typeof node.format === "string") {
      const check = FORMATS[node.format];
      if (check) s.format = { name: node.format, check };
    }
    if ("not" in node) s.not = this.child(p, "not");
    const list = (key: string) => (Array.isArray(node[key]) ? (node[key] as Json[]).map((_, i) => this.child(p, key, i)) : []);
    s.allOf = list("allOf");
    s.anyOf = list("anyOf");
    s.oneOf = list("oneOf");
    if ("if" in node) {
      s.if = this.child(p, "if");
      if ("then" in node) s.then = this.child(p, "then");
      if ("else" in node) s.else = this.child(p, "else");
    }
    s.minProperties = num(node.minProperties);
    s.maxProperties = num(node.maxProperties);
    if (Array.isArray(node.required)) s.required = node.required.filter((r): r is string => typeof r === "string");
    if (isObject(node.properties)) s.properties = Object.keys(node.properties).map((k) => [k, this.child(p, "properties", k)]);
    if ("propertyNames" in node) s.propertyNames = this.child(p, "propertyNames");
    if (isObject(node.patternProperties))
      s.patternProperties = Object.keys(node.patternProperties).map((k) => [k, regex(k), this.child(p, "patternProperties", k)]);
    if (typeof node.additionalProperties === "boolean") {
      if (!node.additionalProperties) s.additionalProperties = false;
    } else if ("additionalProperties" in node) s.additionalProperties = this.child(p, "additionalProperties");
    if (isObject(node.dependencies))
      s.dependencies = Object.entries(node.dependencies).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : this.child(p, "dependencies", k),
      ]);
    s.minItems = num(node.minItems);
    s.maxItems = num(node.maxItems);
    s.uniqueItems = node.uniqueItems === true;
    if (Array.isArray(node.items)) s.items = node.items.map((_, i) => this.child(p, "items", i));
    else if ("items" in node) s.items = this.child(p, "items");
    if (typeof node.additionalItems === "boolean") s.additionalItems = node.additionalItems;
    else if ("additionalItems" in node) s.additionalItems = this.child(p, "additionalItems");
    if ("contains" in node) s.contains = this.child(p, "contains");
    s.minLength = num(node.minLength);
    s.maxLength = num(node.maxLength);
    if (typeof node.pattern === "string") s.pattern = { source: node.pattern, re: regex(node.pattern) };
    if (typeof node.contentEncoding === "string") s.contentEncoding = node.contentEncoding;
    if (typeof node.contentMediaType === "string") s.contentMediaType = node.contentMediaType;
    s.minimum = num(node.minimum);
    s.maximum = num(node.maximum);
    // Draft 4 spells an exclusive limit as a boolean beside minimum/maximum (draft4.go).
    if (node.exclusiveMinimum === true) [s.exclusiveMinimum, s.minimum] = [s.minimum, undefined];
    else s.exclusiveMinimum = num(node.exclusiveMinimum);
    if (node.exclusiveMaximum === true) [s.exclusiveMaximum, s.maximum] = [s.maximum, undefined];
    else s.exclusiveMaximum = num(node.exclusiveMaximum);
    s.multipleOf = num(node.multipleOf);
  }
}
