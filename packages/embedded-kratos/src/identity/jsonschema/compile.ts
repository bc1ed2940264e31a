import type { RE2JS } from "re2js";
import { FORMATS, type FormatCheck } from "./formats";
import { type BigFloat, isGoInteger, parseBigFloat } from "./go-big";
import { escapeToken, goSyntaxValue } from "./go-format";
import { compileGoRegexp } from "./go-syntax-formats";
import { numberText } from "./json-number";
import { compileKratosExtension, type KratosExtension } from "./kratos-extension";
import { isRootFragment, loadDocument, type RemoteDocuments, resolveRefUrl, splitFragment } from "./ref-loader";
import { declaredIds, isObject, type Json, newResource, type Obj, type Resource, resolvePtr } from "./resource";

/**
 * Compiles a schema document into the structure ory/jsonschema's compiler
 * builds (compiler.go): a `Schema` per keyword subschema, `$ref` targets
 * kept per document (resource.ts) by the ref, `$ref`s resolved to the
 * document's root, a JSON pointer, a subschema an `$id` declares, or
 * another document (ref-loader.ts), enum messages
 * prepared, draft 4's boolean exclusive limits folded in. Numbers may be
 * kept with their text (json-number.ts): limits are big.Floats of it.
 */

export { isObject, type Json, type Obj } from "./resource";

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
  /**
   * Go's Schema.URL: for a `$ref` target the URL it was reached by (a
   * document, or the base the `$id`s above the referring schema give), for
   * a keyword's subschema the base it inherits.
   */
  url: string;
  /** Go's Schema.Ptr: a `$ref` target's fragment (`#`, `#/definitions/x`, `#name`); empty for keyword subschemas. */
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
  /**
   * The keywords as written, for what jsonschemax.ListPaths reads beside
   * the compiled ones (`title`, the `ory.sh/kratos` block); none for a
   * `$ref` holder, whose other keywords the compile ignores.
   */
  written?: Obj;
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
/** A Schema as Go's compile makes it, before its keywords are filled in. */
function emptySchema(url: string, ptr: string): Schema {
  return {
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
}

/** Compiles schemas of one document and the documents its `$ref`s lead to (compiler.go Compile, compileRef, compileMap). */
export class Compiler {
  private readonly resources = new Map<string, Resource<Schema>>();
  /** Where each compiled schema's node is (document URL and pointer), for the ref-cycle message. */
  private readonly locations = new Map<Schema, string>();
  constructor(
    root: Json,
    private readonly rootUrl: string,
    private readonly remote: RemoteDocuments,
  ) {
    this.resources.set(rootUrl, newResource(rootUrl, root));
  }

  root(): Schema {
    return this.compileUrl(this.rootUrl);
  }

  private resource(url: string): Resource<Schema> {
    let r = this.resources.get(url);
    if (!r) {
      r = newResource<Schema>(url, loadDocument(url, this.remote));
      this.resources.set(url, r);
    }
    return r;
  }

  /** Compile: the document at the URL's base, then the fragment in it. */
  private compileUrl(url: string): Schema {
    const [base, fragment] = splitFragment(url);
    const r = this.resource(base);
    return this.compileRef(r, r.url, fragment);
  }

  /**
   * compileRef: the document's root, a JSON pointer into it, a subschema
   * an `$id` in it declares (`#name`, `inner.json`), or another document.
   * Targets are kept by the ref, so a `$ref` chain back to itself ends.
   */
  private compileRef(r: Resource<Schema>, base: string, ref: string): Schema {
    if (isRootFragment(ref)) return this.target(r, "#", r.url, "#", base, r.doc, "#");
    if (ref.startsWith("#/")) {
      const cached = r.schemas.get(ref);
      if (cached) return cached;
      const found = resolvePtr(r, ref);
      return this.target(r, ref, base, ref, found.base, found.node, ref);
    }
    const refUrl = resolveRefUrl(base, ref);
    const cached = r.schemas.get(refUrl);
    if (cached) return cached;
    const declared = declaredIds(r).get(refUrl);
    const [url, fragment] = splitFragment(refUrl);
    if (declared) return this.target(r, refUrl, url, fragment, refUrl, declared.node, declared.pointer);
    if (url === r.url) throw new Error(`invalid ref: ${JSON.stringify(refUrl)}`);
    return this.compileUrl(refUrl);
  }

  private target(r: Resource<Schema>, key: string, url: string, ptr: string, base: string, node: Json, pointer: string): Schema {
    const cached = r.schemas.get(key);
    if (cached) return cached;
    const s = emptySchema(url, ptr);
    r.schemas.set(key, s);
    this.locations.set(s, pointer);
    this.fill(r, s, base, node, pointer);
    return s;
  }

  /** compile for a keyword's subschema: a new Schema whose URL is the base it inherits (Ptr stays empty, as in Go). */
  private child(r: Resource<Schema>, base: string, node: Json, pointer: string): Schema {
    const s = emptySchema(splitFragment(base)[0], "");
    this.locations.set(s, pointer);
    this.fill(r, s, base, node, pointer);
    return s;
  }

  /** A `$ref` chain that comes back to itself would never validate anything (Kratos' schema/prevalidate.go refuses it too). */
  refuseRefCycles(): void {
    for (const start of this.locations.keys()) {
      const seen = new Set<Schema>([start]);
      for (let next = start.ref; next; next = next.ref) {
        if (seen.has(next)) throw new Error(`the $ref at "${this.locations.get(start)}" refers to itself`);
        seen.add(next);
      }
    }
  }

  private fill(r: Resource<Schema>, s: Schema, inherited: string, node: Json, pointer: string): void {
    if (typeof node === "boolean") {
      s.always = node;
      return;
    }
    if (!isObject(node)) return;
    const id = node[r.idKey];
    const base = typeof id === "string" ? resolveRefUrl(inherited, id) : inherited;
    if (typeof node.$ref === "string") {
      s.ref = this.compileRef(r, splitFragment(base)[0], node.$ref);
      return;
    }
    s.written = node;
    const sub = (...tokens: (string | number)[]) => {
      let value: Json = node;
      for (const t of tokens) value = Array.isArray(value) ? value[Number(t)] : isObject(value) ? value[String(t)] : undefined;
      return this.child(r, base, value, [pointer, ...tokens.map((t) => escapeToken(String(t)))].join("/"));
    };
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
    if ("not" in node) s.not = sub("not");
    const list = (key: string) => (Array.isArray(node[key]) ? (node[key] as Json[]).map((_, i) => sub(key, i)) : []);
    s.allOf = list("allOf");
    s.anyOf = list("anyOf");
    s.oneOf = list("oneOf");
    if ("if" in node) {
      s.if = sub("if");
      if ("then" in node) s.then = sub("then");
      if ("else" in node) s.else = sub("else");
    }
    s.minProperties = count(node, "minProperties");
    s.maxProperties = count(node, "maxProperties");
    if (Array.isArray(node.required)) s.required = node.required.filter((r): r is string => typeof r === "string");
    if (isObject(node.properties)) s.properties = Object.keys(node.properties).map((k) => [k, sub("properties", k)]);
    if ("propertyNames" in node) s.propertyNames = sub("propertyNames");
    if (isObject(node.patternProperties))
      s.patternProperties = Object.keys(node.patternProperties).map((k) => [k, regex(k), sub("patternProperties", k)]);
    if (typeof node.additionalProperties === "boolean") {
      if (!node.additionalProperties) s.additionalProperties = false;
    } else if ("additionalProperties" in node) s.additionalProperties = sub("additionalProperties");
    if (isObject(node.dependencies))
      s.dependencies = Object.entries(node.dependencies).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : sub("dependencies", k),
      ]);
    s.minItems = count(node, "minItems");
    s.maxItems = count(node, "maxItems");
    s.uniqueItems = node.uniqueItems === true;
    if (Array.isArray(node.items)) s.items = node.items.map((_, i) => sub("items", i));
    else if ("items" in node) s.items = sub("items");
    if (typeof node.additionalItems === "boolean") s.additionalItems = node.additionalItems;
    else if ("additionalItems" in node) s.additionalItems = sub("additionalItems");
    if ("contains" in node) s.contains = sub("contains");
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
