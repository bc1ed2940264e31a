import { JsonPatchError } from "./json-patch";
import type { GoNode } from "../go-json";

/**
 * evanphx/json-patch v5.9.11's document model (v5/patch.go lazyNode,
 * partialDoc, partialArray), the one Kratos' JSON Patch runs on: a value
 * stays the text it was read from (a json.RawMessage, here the GoNode the
 * scanner read) until a path goes through it; only then is it read into an
 * object (its keys in order, repeated ones repeated, and a map of the last
 * value per key) or an array. Writing it back compacts the untouched text
 * with HTML escaping and writes the opened objects key by key.
 */

export const MISSING = "missing value";
export const INVALID_INDEX = "invalid index referenced";
export const EXPECTED_OBJECT = "invalid value, expected object";
/** ErrInvalid: a path goes into a value that is no object or array. */
export const invalidState = () => new JsonPatchError("invalid state detected");

/** lazyNode: the raw value, and what it was read into once a path went through it. */
export class LazyNode {
  doc: PartialDoc | undefined;
  ary: PartialArray | undefined;
  constructor(readonly raw: GoNode) {}
}

/** A map or slice element: `null` is Go's nil *lazyNode, what a JSON `null` decodes to (a patch value `null` is a node). */
export type Slot = LazyNode | null;

/** partialDoc: `keys` in document order (repeated keys repeated), `obj` the last value of each; `obj` is nil for a `null` document. */
export class PartialDoc {
  constructor(
    public keys: string[],
    public obj: Map<string, Slot> | null,
    /** What `get("")` answers: the document's own node for the root, nil for objects opened along a path. */
    readonly self: Slot,
  ) {}
}

export class PartialArray {
  constructor(
    public nodes: Slot[],
    readonly self: Slot,
  ) {}
}

export type Container = PartialDoc | PartialArray;

const slot = (node: GoNode): Slot => (node.t === "null" ? null : new LazyNode(node));

/** UnmarshalValidWithKeys into map[string]*lazyNode: every key in order, the map keeping the last value of a repeated one. */
export function docFromRaw(raw: GoNode & { t: "object" }, self: Slot): PartialDoc {
  const obj = new Map<string, Slot>();
  const keys: string[] = [];
  for (const [key, value] of raw.entries) {
    keys.push(key.v);
    obj.set(key.v, slot(value));
  }
  return new PartialDoc(keys, obj, self);
}

export function arrayFromRaw(raw: GoNode & { t: "array" }, self: Slot): PartialArray {
  return new PartialArray(raw.items.map(slot), self);
}

/** isArray: whether the raw text starts an array (then a path reads it with intoAry, else with intoDoc). */
export const isArray = (node: LazyNode) => node.raw.t === "array";

/** lazyNode.intoDoc: ErrInvalid unless the text is an object. */
export function intoDoc(node: LazyNode): PartialDoc {
  if (node.doc) return node.doc;
  if (node.raw.t !== "object") throw invalidState();
  node.doc = docFromRaw(node.raw, null);
  return node.doc;
}

/** lazyNode.intoAry (only called on text isArray accepted). */
export function intoAry(node: LazyNode): PartialArray {
  if (node.ary) return node.ary;
  if (node.raw.t !== "array") throw invalidState();
  node.ary = arrayFromRaw(node.raw, null);
  return node.ary;
}

/** The empty object and array ensurePathExists creates. */
export const newObjectNode = () => new LazyNode({ t: "object", entries: [] });
export const newArrayNode = () => new LazyNode({ t: "array", items: [] });
export const newNullNode = () => new LazyNode({ t: "null" });

const hex4 = (code: number) => `\\u${code.toString(16).padStart(4, "0")}`;

/**
 * json-patch's own encoder (a copy of an older encoding/json) writing a key
 * with EscapeHTML: `"`, `\` and `\n`, `\r`, `\t` escaped by name, other
 * control characters, `<`, `>`, `&`, U+2028 and U+2029 as `\u00XX`.
 */
export function marshalKey(key: string): string {
  let out = '"';
  for (const ch of key) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || ch === "<" || ch === ">" || ch === "&" || code === 0x2028 || code === 0x2029) out += hex4(code);
    else out += ch;
  }
  return `${out}"`;
}

/** A string literal's bytes (one char per byte) as compact(escape) writes them: `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function escapedLiteral(raw: string): string {
  const escaped = raw.replace(/[<>&]|\xe2\x80[\xa8\xa9]/g, (m) =>
    m.length === 1 ? hex4(m.charCodeAt(0)) : hex4(m.charCodeAt(2) === 0xa8 ? 0x2028 : 0x2029),
  );
  return Buffer.from(escaped, "latin1").toString("utf8");
}

/**
 * json.RawMessage through encoding/json with HTML escaping (compact): the
 * text without whitespace, otherwise as read — key order, repeated keys,
 * number literals, string escapes — but `<`, `>`, `&`, U+2028 and U+2029
 * inside strings written as escapes.
 */
export function compactEscaped(node: GoNode): string {
  switch (node.t) {
    case "null":
      return "null";
    case "bool":
      return node.v ? "true" : "false";
    case "number":
      return node.raw;
    case "string":
      return `"${escapedLiteral(node.raw)}"`;
    case "array":
      return `[${node.items.map(compactEscaped).join(",")}]`;
    case "object":
      return `{${node.entries.map(([key, value]) => `${compactEscaped(key)}:${compactEscaped(value)}`).join(",")}}`;
  }
}

/** MarshalEscaped of a container: an opened object key by key (TrustMarshalJSON), an array element by element. */
export function marshalContainer(container: Container): string {
  if (container instanceof PartialArray) return `[${container.nodes.map(marshalSlot).join(",")}]`;
  const obj = container.obj;
  if (obj === null) throw new JsonPatchError(`json: error calling MarshalJSON for type *jsonpatch.partialDoc: ${EXPECTED_OBJECT}`);
  // A key whose value was removed while a repeated copy of it stays in `keys` is written as null (n.obj[k] is nil).
  return `{${container.keys.map((key) => `${marshalKey(key)}:${marshalSlot(obj.get(key) ?? null)}`).join(",")}}`;
}

function marshalSlot(node: Slot): string {
  if (node === null) return "null";
  if (node.doc) return marshalContainer(node.doc);
  if (node.ary) return marshalContainer(node.ary);
  return compactEscaped(node.raw);
}
