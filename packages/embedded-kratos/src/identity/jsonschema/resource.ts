import { escapeToken } from "./go-format";
import { isRawNumber } from "./json-number";
import { resolveRefUrl } from "./ref-loader";

/**
 * One loaded schema document as ory/jsonschema keeps it (resource.go): its
 * URL, its draft (which names the id keyword and which keywords hold
 * subschemas), and the `$id`s declared inside it (resolveIDs), which a
 * `$ref` can name instead of a JSON pointer (`#name`, `inner.json`).
 */

export type Json = unknown;
export type Obj = Record<string, Json>;

export const isObject = (value: Json): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !isRawNumber(value);

/** A subschema a `$id` names, and where it is in the document (a JSON pointer). */
export interface IdTarget {
  node: Obj;
  pointer: string;
}

export interface Resource<S> {
  url: string;
  doc: Json;
  /** The draft's id keyword: draft 4 spells it `id`. */
  idKey: "$id" | "id";
  version: 4 | 6 | 7;
  /** Compiled `$ref` targets, by `#`, `#/pointer` or resolved URL (Go: resource.schemas). */
  schemas: Map<string, S>;
  ids?: Map<string, IdTarget>;
}

const DRAFTS: Record<string, 4 | 6 | 7> = {
  "http://json-schema.org/schema#": 7,
  "http://json-schema.org/draft-07/schema#": 7,
  "http://json-schema.org/draft-06/schema#": 6,
  "http://json-schema.org/draft-04/schema#": 4,
};

/** newResource and Compile's draft pick: the document's `$schema`, else draft 7. */
export function newResource<S>(url: string, doc: Json): Resource<S> {
  const declared = isObject(doc) && typeof doc.$schema === "string" ? DRAFTS[doc.$schema] : undefined;
  const version = declared ?? 7;
  return { url, doc, idKey: version === 4 ? "id" : "$id", version, schemas: new Map() };
}

const unescapeToken = (token: string) => decodeURIComponent(token.replace(/~1/g, "/").replace(/~0/g, "~"));

/** resolvePtr: the node at a `#/…` pointer and the base URL the `$id`s on the way give it. */
export function resolvePtr<S>(r: Resource<S>, ptr: string): { base: string; node: Json } {
  let base = r.url;
  let node = r.doc;
  for (const token of ptr.replace(/^#\//, "").split("/")) {
    const item = unescapeToken(token);
    if (isObject(node)) {
      const id = node[r.idKey];
      if (typeof id === "string") base = resolveRefUrl(base, id);
      node = node[item];
    } else if (Array.isArray(node)) {
      const index = /^\d+$/.test(item) ? Number(item) : -1;
      if (index < 0 || index >= node.length) throw new Error(`invalid $ref ${JSON.stringify(ptr)}, reason: array index outofrange`);
      node = node[index];
    } else throw new Error(`invalid $ref ${ptr}`);
  }
  if (node === undefined) throw new Error(`cannot resolve $ref "${ptr}"`);
  return { base, node };
}

/** resolveIDs: every `$id` in the keywords that hold subschemas, resolved against the ids above it. */
export function declaredIds<S>(r: Resource<S>): Map<string, IdTarget> {
  if (r.ids) return r.ids;
  const ids = new Map<string, IdTarget>();
  const walk = (base: string, value: Json, pointer: string): void => {
    if (!isObject(value)) return;
    const id = value[r.idKey];
    if (typeof id === "string") {
      base = resolveRefUrl(base, id);
      ids.set(base, { node: value, pointer });
    }
    const at = (...tokens: (string | number)[]) => [pointer, ...tokens.map((t) => escapeToken(String(t)))].join("/");
    const one = (key: string) => {
      if (key in value) walk(base, value[key], at(key));
    };
    const list = (key: string) => {
      const items = value[key];
      if (Array.isArray(items)) items.forEach((item, i) => walk(base, item, at(key, i)));
    };
    const map = (key: string) => {
      const entries = value[key];
      if (isObject(entries)) for (const [name, item] of Object.entries(entries)) walk(base, item, at(key, name));
    };
    one("not");
    one("additionalProperties");
    ["allOf", "anyOf", "oneOf"].forEach(list);
    ["definitions", "properties", "patternProperties", "dependencies"].forEach(map);
    if ("items" in value) {
      if (Array.isArray(value.items)) list("items");
      else one("items");
      one("additionalItems");
    }
    if (r.version >= 6) ["propertyNames", "contains"].forEach(one);
    if (r.version >= 7 && "if" in value) ["if", "then", "else"].forEach(one);
  };
  walk(r.url, r.doc, "#");
  r.ids = ids;
  return ids;
}
