/** RFC 6902 JSON Patch over plain JSON values (add, remove, replace, move, copy, test). */
export interface PatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

export class JsonPatchError extends Error {
  override name = "JsonPatchError";
}

type Container = Record<string, unknown> | unknown[];

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: unknown, segments: string[]): { parent: Container; key: string } {
  if (segments.length === 0) throw new JsonPatchError("the document root cannot be the target of this operation");
  let current: unknown = doc;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (typeof current === "object" && current !== null) current = (current as Record<string, unknown>)[s];
    else current = undefined;
    if (current === undefined) throw new JsonPatchError(`path "/${segments.join("/")}" does not exist`);
  }
  if (typeof current !== "object" || current === null) throw new JsonPatchError(`path "/${segments.join("/")}" does not exist`);
  return { parent: current as Container, key: segments[segments.length - 1] ?? "" };
}

function get(doc: unknown, pointer: string): unknown {
  let current: unknown = doc;
  for (const s of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (typeof current === "object" && current !== null && Object.hasOwn(current, s)) current = (current as Record<string, unknown>)[s];
    else throw new JsonPatchError(`path "${pointer}" does not exist`);
  }
  return current;
}

function arrayIndex(arr: unknown[], key: string, allowEnd: boolean): number {
  if (key === "-" && allowEnd) return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!allowEnd && i === arr.length)) throw new JsonPatchError(`array index "${key}" is out of bounds`);
  return i;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const segments = parsePointer(pointer);
  if (segments.length === 0) return value;
  const { parent, key } = parentOf(doc, segments);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const { parent, key } = parentOf(doc, parsePointer(pointer));
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else {
    if (!Object.hasOwn(parent, key)) throw new JsonPatchError(`path "${pointer}" does not exist`);
    delete parent[key];
  }
  return doc;
}

/** Applies the operations to a deep copy of `document`; throws JsonPatchError on any failure (atomic). */
export function applyJsonPatch(document: unknown, operations: PatchOperation[]): unknown {
  let doc = structuredClone(document);
  for (const op of operations) {
    switch (op.op) {
      case "add":
        doc = add(doc, op.path, structuredClone(op.value));
        break;
      case "remove":
        doc = remove(doc, op.path);
        break;
      case "replace":
        get(doc, op.path);
        doc = parsePointer(op.path).length === 0 ? structuredClone(op.value) : add(remove(doc, op.path), op.path, structuredClone(op.value));
        break;
      case "move": {
        const value = get(doc, op.from ?? "");
        doc = add(remove(doc, op.from ?? ""), op.path, value);
        break;
      }
      case "copy":
        doc = add(doc, op.path, structuredClone(get(doc, op.from ?? "")));
        break;
      case "test":
        if (!sameJson(get(doc, op.path), op.value)) throw new JsonPatchError(`test operation failed at "${op.path}"`);
        break;
      default:
        throw new JsonPatchError(`unsupported operation`);
    }
  }
  return doc;
}

/** RFC 6902 `test` equality: same JSON value, whatever the order of object members. */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}
