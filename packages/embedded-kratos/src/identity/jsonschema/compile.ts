import type { RE2JS } from "re2js";
import { FORMATS, type FormatCheck } from "./formats";
import { type BigFloat, isGoInteger, parseBigFloat } from "./go-big";
import { escapeToken, goSyntaxValue } from "./go-format";
import { compileGoRegexp } from "./go-syntax-formats";
import { isRawNumber, numberText } from "./json-number";
import { compileKratosExtension, type KratosExtension } from "./kratos-extension";
import { isRootFragment, loadDocument, type RemoteDocuments, resolveRefUrl, splitFragment } from "./ref-loader";

/**
 * Compiles a schema document into the structure ory/jsonschema's compiler
 * builds (compiler.go): one `Schema` per location, keyed by its document's
 * URL and JSON pointer (Go's Schema.URL and Ptr), `$ref`s resolved inside
 * the document or to other documents (ref-loader.ts), enum messages
 * prepared, draft 4's boolean exclusive limits folded in. Numbers may be
 * kept with their text (json-number.ts): limits are big.Floats of it.
 */

export type Json = unknown;
export type Obj = Record<string, Json>;

export const isObject = (value: Json): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !isRawNumber(value);

/** regexp.MustCompile as compileMap calls it: a pattern Go cannot compile fails the schema, with Go's message. */
function regex(source: string): RE2JS {
  try {
    return compileGoRegexp(source);
  } catch (error) {
    throw new Error(`pattern ${JSON.stringify(source)}: ${(error as Error).message}`, { cause: error });
  }
}

/** A limit of the schema: big.Float of its text, and its value for the message. */
export interface Limit {
  big: BigFloat;
  value: number;
}

export interface Schema {
  /** The URL of the document the schema is in (Go: Schema.URL). */
  url: string;
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
  patternProperties: [string, RE2JS, Schema][];
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
  pattern?: { source: string; re: RE2JS };
  contentEncoding?: string;
  contentMediaType?: string;
  minimum?: Limit;
  exclusiveMinimum?: Limit;
  maximum?: Limit;
  exclusiveMaximum?: Limit;
  multipleOf?: Limit;
  /** The `ory.sh/kratos` block, as Kratos' extension compiles it (kratos-extension.ts). */
  kratos?: KratosExtension;
}

/** compileMap's loadFloat: big.Float SetString of the number's text. */
function limit(v: Json): Limit | undefined {
  const text = numberText(v);
  const big = text === undefined ? undefined : parseBigFloat(text);
  return big && { big, value: Number(text) };
}

/**
 * compileMap's loadInt. The draft meta-schemas type these keywords
 * `integer`, which Kratos checks on the number's text at start-up
 * (driver/config/config.go validateIdentitySchemas), so `5.0` is refused.
 */
function count(node: Obj, keyword: string): number | undefined {
  if (!(keyword in node)) return undefined;
  const text = numberText(node[keyword]);
  if (text === undefined) return undefined;
  if (!isGoInteger(text)) throw new Error(`${keyword}: expected integer, but got number ${text}`);
  return Number(text);
}
const unescapePointer = (token: string) => decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");

/** Compiles schemas of one document and the documents its `$ref`s lead to. */
export class Compiler {
  private readonly cache = new Map<string, Schema>();
  private readonly documents = new Map<string, Json>();
  constructor(
    root: Json,
    private readonly rootUrl: string,
    private readonly remote: RemoteDocuments,
  ) {
    this.documents.set(rootUrl, root);
  }

  root(): Schema {
    return this.at(this.rootUrl, "#");
  }

  private document(url: string): Json {
    if (!this.documents.has(url)) this.documents.set(url, loadDocument(url, this.remote));
    return this.documents.get(url);
  }

  private at(url: string, ptr: string): Schema {
    const key = url + ptr;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let node: Json = this.document(url);
    for (const token of ptr
      .replace(/^#\/?/, "")
      .split("/")
      .filter((t) => t !== "")) {
      const name = unescapePointer(token);
      node = Array.isArray(node) ? node[Number(name)] : isObject(node) ? node[name] : undefined;
    }
    if (node === undefined) throw new Error(`cannot resolve $ref "${ptr}"`);
    const schema: Schema = {
      url,
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
    this.cache.set(key, schema);
    this.fill(schema, node);
    return schema;
  }

  /** The base `$ref`s resolve against at a pointer: the document's URL, changed by each `$id` on the way (resource.go resolvePtr). */
  private base(url: string, ptr: string): string {
    let base = url;
    let node = this.documents.get(url);
    const tokens = ptr
      .replace(/^#\/?/, "")
      .split("/")
      .filter((t) => t !== "");
    for (let i = 0; ; i++) {
      if (isObject(node) && typeof node.$id === "string") base = resolveRefUrl(base, node.$id);
      const token = tokens[i];
      if (token === undefined) return base;
      const name = unescapePointer(token);
      node = Array.isArray(node) ? node[Number(name)] : isObject(node) ? node[name] : undefined;
    }
  }

  /** compileRef: a pointer into this document, or another document (its root or a pointer in it). */
  private ref(s: Schema, ref: string): Schema {
    if (isRootFragment(ref)) return this.at(s.url, "#");
    if (ref.startsWith("#/")) return this.at(s.url, ref);
    const [url, fragment] = splitFragment(resolveRefUrl(this.base(s.url, s.ptr), ref));
    if (url === s.url || !(isRootFragment(fragment) || fragment.startsWith("#/")))
      throw new Error(`invalid ref: ${JSON.stringify(url + fragment)}`);
    return this.at(url, fragment);
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

  private child(s: Schema, ...tokens: (string | number)[]): Schema {
    return this.at(s.url, [s.ptr, ...tokens.map((t) => escapeToken(String(t)))].join("/"));
  }

  private fill(s: Schema, node: Json): void {
    if (typeof node === "boolean") {
      s.always = node;
      return;
    }
    if (!isObject(node)) return;
    const p = s;
    if (typeof node.$ref === "string") {
      s.ref = this.ref(s, node.$ref);
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
    s.minProperties = count(node, "minProperties");
    s.maxProperties = count(node, "maxProperties");
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
    s.minItems = count(node, "minItems");
    s.maxItems = count(node, "maxItems");
    s.uniqueItems = node.uniqueItems === true;
    if (Array.isArray(node.items)) s.items = node.items.map((_, i) => this.child(p, "items", i));
    else if ("items" in node) s.items = this.child(p, "items");
    if (typeof node.additionalItems === "boolean") s.additionalItems = node.additionalItems;
    else if ("additionalItems" in node) s.additionalItems = this.child(p, "additionalItems");
    if ("contains" in node) s.contains = this.child(p, "contains");
    s.minLength = count(node, "minLength");
    s.maxLength = count(node, "maxLength");
    if (typeof node.pattern === "string") s.pattern = { source: node.pattern, re: regex(node.pattern) };
    if (typeof node.contentEncoding === "string") s.contentEncoding = node.contentEncoding;
    if (typeof node.contentMediaType === "string") s.contentMediaType = node.contentMediaType;
    s.minimum = limit(node.minimum);
    s.maximum = limit(node.maximum);
    // Draft 4 spells an exclusive limit as a boolean beside minimum/maximum (draft4.go).
    if (node.exclusiveMinimum === true) [s.exclusiveMinimum, s.minimum] = [s.minimum, undefined];
    else s.exclusiveMinimum = limit(node.exclusiveMinimum);
    if (node.exclusiveMaximum === true) [s.exclusiveMaximum, s.maximum] = [s.maximum, undefined];
    else s.exclusiveMaximum = limit(node.exclusiveMaximum);
    s.multipleOf = limit(node.multipleOf);
    s.kratos = compileKratosExtension(node);
  }
}
