/**
 * JSON Patch as both Ory servers apply it (oryx/jsonx/patch.go,
 * ApplyJSONPatch, over evanphx/json-patch v5): Kratos to identities, Hydra
 * to OAuth2 clients. Only `add`, `remove` and `replace`; `replace` of an
 * object member behaves as `add` (so it may create the member); `add`
 * creates missing parents; the caller's paths are denied. Failures carry
 * json-patch's own error texts (Kratos returns them as the error message;
 * Hydra's error enhancer cannot name them).
 */

export class JsonPatchError extends Error {
  override name = "JsonPatchError";
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface PatchOperation {
  op: "add" | "remove" | "replace";
  path: string;
  value?: Json;
}

/** JSON.rawJSON values: numbers a caller kept with their text (Go keeps a patch value's bytes as a json.RawMessage). */
const isRawJson = (v: unknown): boolean => (JSON as unknown as { isRawJSON(value: unknown): boolean }).isRawJSON(v);
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v) && !isRawJson(v);

/** A deep copy that keeps JSON.rawJSON numbers (structuredClone would turn them into plain objects). */
function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value))
    Object.defineProperty(out, key, { value: clone(item), enumerable: true, writable: true, configurable: true });
  return out;
}

/** How Go's UnmarshalTypeError names a parsed JSON value. */
const goKind = (v: unknown) =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "array"
      : isRawJson(v)
        ? "number"
        : typeof v === "boolean"
          ? "bool"
          : typeof v === "object"
            ? "object"
            : typeof v;
const MISSING = "missing value";
const INVALID_INDEX = "invalid index referenced";

/** Go's json.Marshal of an operation (map keys sorted, values compact), as json-patch prints it in errors. */
function goMarshal(value: unknown): string {
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goMarshal(value[k])}`)
      .join(",")}}`;
  }
  if (Array.isArray(value)) return `[${value.map(goMarshal).join(",")}]`;
  return JSON.stringify(value);
}

/** strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new JsonPatchError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

const decodeKey = (k: string) => k.replace(/~1/g, "/").replace(/~0/g, "~");

/** A member container: an object, an array, or a JSON null that refuses members ("expected object"). */
type Container = { kind: "object"; node: JsonObject } | { kind: "array"; node: Json[] } | { kind: "null" };

function containerOf(value: Json | undefined): Container | undefined {
  if (Array.isArray(value)) return { kind: "array", node: value };
  if (isObject(value)) return { kind: "object", node: value };
  if (value === null) return { kind: "null" };
  return undefined;
}

function get(c: Container, key: string): Json | undefined {
  if (c.kind === "object") return Object.hasOwn(c.node, key) ? c.node[key] : undefined;
  if (c.kind === "array") {
    let idx: number;
    try {
      idx = atoi(key);
    } catch {
      return undefined;
    }
    if (idx < 0) idx += c.node.length;
    return idx >= 0 && idx < c.node.length ? c.node[idx] : undefined;
  }
  return undefined;
}

/** evanphx' findObject: the container of the last segment, or undefined when a parent is missing or a scalar. */
function findObject(doc: Json, path: string): { container: Container; key: string } | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let current = containerOf(doc);
  for (const part of split.slice(1, -1)) {
    if (!current) return undefined;
    const next = get(current, decodeKey(part));
    if (next === undefined) return undefined;
    current = containerOf(next);
  }
  return current ? { container: current, key: decodeKey(split[split.length - 1] ?? "") } : undefined;
}

function addTo(c: Container, key: string, value: Json): void {
  if (c.kind === "null") throw new JsonPatchError("invalid value, expected object");
  if (c.kind === "object") {
    c.node[key] = value;
    return;
  }
  if (key === "-") {
    c.node.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (error) {
    throw new JsonPatchError(`value was not a proper array index: '${key}': ${(error as Error).message}`);
  }
  const size = c.node.length + 1;
  if (idx >= size || idx < -size) throw new JsonPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) idx += size;
  c.node.splice(idx, 0, value);
}

function removeFrom(c: Container, key: string): void {
  if (c.kind === "null") throw new JsonPatchError("invalid value, expected object");
  if (c.kind === "object") {
    if (!Object.hasOwn(c.node, key)) throw new JsonPatchError(`unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete c.node[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.node.length || idx < -c.node.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) idx += c.node.length;
  c.node.splice(idx, 1);
}

/** EnsurePathExistsOnAdd: missing parents become objects, or arrays when the next segment is an index or "-". */
function ensurePathExists(doc: Json, path: string): void {
  const parts = path.split("/").slice(1);
  let current = containerOf(doc);
  for (let i = 0; i < parts.length - 1 && current; i++) {
    const part = decodeKey(parts[i] ?? "");
    const existing = get(current, part);
    if (existing !== undefined) {
      current = containerOf(existing);
      if (!current) throw new JsonPatchError(`error in add for path: '${path}': ${MISSING}`);
      continue;
    }
    if (current.kind === "array" && /^\d+$/.test(part)) {
      while (current.node.length < Number(part)) current.node.push(null);
    }
    const next = parts[i + 1] ?? "";
    const created: Json = /^-?\d+$/.test(next) || next === "-" ? (Array(Math.max(Number(next) || 0, 0)).fill(null) as Json[]) : {};
    if (current.kind === "null") throw new JsonPatchError("invalid value, expected object");
    if (current.kind === "object") current.node[part] = created;
    else current.node.push(created);
    current = containerOf(created);
  }
}

function isElementAccess(path: string): boolean {
  const last = path.split("/").pop() ?? "";
  return last === "-" || /^[+-]?\d+$/.test(last);
}

/**
 * jsonpatch.DecodePatch and the checks ApplyJSONPatch runs before applying:
 * the body must be a JSON array of operations, each with what its kind
 * needs, of an allowed kind, on a path that is not denied.
 */
export function parsePatch(body: string, deniedPaths: readonly RegExp[]): PatchOperation[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new JsonPatchError("invalid state detected");
  }
  return parsePatchValue(parsed, deniedPaths);
}

/**
 * parsePatch of a body the caller has already parsed (e.g. keeping its
 * numbers' text as JSON.rawJSON values, which the patch carries through).
 */
export function parsePatchValue(parsed: unknown, deniedPaths: readonly RegExp[]): PatchOperation[] {
  if (!Array.isArray(parsed)) throw new JsonPatchError(`json: cannot unmarshal ${goKind(parsed)} into Go value of type jsonpatch.Patch`);
  const ops = parsed.map((item: unknown) => {
    if (item !== null && !isObject(item))
      throw new JsonPatchError(`json: cannot unmarshal ${goKind(item)} into Go value of type jsonpatch.Operation`);
    return item ?? {};
  });
  // validatePatch runs over every operation before any is applied or refused for its kind.
  const decoded = ops.map(decodeOperation);
  return decoded.map(({ kind, path, op }) => {
    if (kind !== "add" && kind !== "remove" && kind !== "replace") throw new JsonPatchError(`unsupported operation: ${kind}`);
    if (deniedPaths.some((denied) => denied.test(path.toLowerCase()))) throw new JsonPatchError(`patch includes denied path: ${path}`);
    // "JSON patch officially rejects replacing paths that don't exist, but we want to be more tolerant."
    const effective = kind === "replace" && !isElementAccess(path) ? "add" : kind;
    return { op: effective, path, ...(Object.hasOwn(op, "value") ? { value: op.value ?? null } : {}) };
  });
}

/** json-patch's validatePatch for one operation (at decode time): what its kind needs, of a known kind, with a path. */
function decodeOperation(op: JsonObject): { kind: string; path: string; op: JsonObject } {
  const kind = typeof op.op === "string" ? op.op : "unknown";
  const invalid = (problem: string) => new JsonPatchError(`invalid operation ${goMarshal(op)}: ${problem}`);
  if ((kind === "add" || kind === "replace") && !Object.hasOwn(op, "value"))
    throw invalid(`failed to decode 'value': operation, missing value field: ${MISSING}`);
  if ((kind === "move" || kind === "copy") && typeof op.from !== "string")
    throw invalid(`failed to decode 'from': operation, missing from field: ${MISSING}`);
  if (!["add", "replace", "move", "copy", "remove", "test"].includes(kind)) throw invalid("unsupported operation");
  if (typeof op.path !== "string") throw invalid(`failed to decode 'path': operation missing path field: ${MISSING}`);
  return { kind, path: op.path, op };
}

/** Applies the operations to a deep copy of `document`; throws JsonPatchError on the first failure. */
export function applyJsonPatch(document: Json, operations: readonly PatchOperation[]): Json {
  let doc: Json = clone(document);
  for (const op of operations) {
    const value = clone(op.value ?? null);
    if (op.path === "") {
      if (op.op === "remove") throw new JsonPatchError(`remove operation does not apply: doc is missing path: "": ${MISSING}`);
      doc = value;
      continue;
    }
    if (op.op === "add") {
      ensurePathExists(doc, op.path);
      const target = findObject(doc, op.path);
      if (!target) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${op.path}": ${MISSING}`);
      try {
        addTo(target.container, target.key, value);
      } catch (error) {
        throw new JsonPatchError(`error in add for path: '${op.path}': ${(error as Error).message}`);
      }
    } else if (op.op === "remove") {
      const target = findObject(doc, op.path);
      if (!target) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${op.path}": ${MISSING}`);
      try {
        removeFrom(target.container, target.key);
      } catch (error) {
        throw new JsonPatchError(`error in remove for path: '${op.path}': ${(error as Error).message}`);
      }
    } else {
      const target = findObject(doc, op.path);
      if (!target) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${op.path}: ${MISSING}`);
      if (get(target.container, target.key) === undefined)
        throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${op.path}: ${MISSING}`);
      removeFrom(target.container, target.key);
      addTo(target.container, target.key, value);
    }
  }
  return doc;
}

export type { Json as PatchJson };
