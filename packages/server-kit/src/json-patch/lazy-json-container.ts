import { goAtoi } from "../go-strconv";
import { goBytes } from "../go-url";
import { EXPECTED_OBJECT, INVALID_INDEX, MISSING, PartialArray, type Container, type Slot } from "./lazy-json";

/**
 * The container methods of evanphx/json-patch v5.9.11 (v5/patch.go
 * partialDoc and partialArray get, set, add, remove), with its error texts
 * and its options as oryx/jsonx/patch.go ApplyJSONPatch sets them
 * (negative indexes allowed, a missing path on remove refused).
 */

/** A failure inside a container method; the operation wraps its message. */
export class ContainerError extends Error {
  override name = "ContainerError";
}

const invalidIndex = (idx: bigint) => new ContainerError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);

function index(key: string): bigint {
  const parsed = goAtoi(goBytes(key));
  if ("error" in parsed) throw new ContainerError(parsed.error);
  return parsed.value;
}

/** get: the element or nil; throws when the key or index is missing. */
export function get(c: Container, key: string): Slot {
  if (key === "") return c.self;
  if (c instanceof PartialArray) {
    let idx = index(key);
    const len = BigInt(c.nodes.length);
    if (idx < 0n) {
      if (idx < -len) throw invalidIndex(idx);
      idx += len;
    }
    if (idx >= len) throw invalidIndex(idx);
    return c.nodes[Number(idx)] ?? null;
  }
  if (c.obj === null) throw new ContainerError(EXPECTED_OBJECT);
  if (!c.obj.has(key)) throw new ContainerError(`unable to get nonexistent key: ${key}: ${MISSING}`);
  return c.obj.get(key) ?? null;
}

/** get for callers that treat any failure as "not there" (findObject, ensurePathExists). */
export function tryGet(c: Container, key: string): Slot | undefined {
  try {
    return get(c, key);
  } catch (error) {
    if (error instanceof ContainerError) return undefined;
    throw error;
  }
}

/** set: an object keeps the key's place (a new key goes last); an array's element is replaced (after a successful get). */
export function set(c: Container, key: string, value: Slot): void {
  if (c instanceof PartialArray) {
    let idx = index(key);
    if (idx < 0n) {
      if (idx < -BigInt(c.nodes.length)) throw invalidIndex(idx);
      idx += BigInt(c.nodes.length);
    }
    c.nodes[Number(idx)] = value;
    return;
  }
  if (c.obj === null) throw new ContainerError(EXPECTED_OBJECT);
  if (!c.keys.includes(key)) c.keys.push(key);
  c.obj.set(key, value);
}

/** add: an object sets the key; an array inserts at the index (`-` appends). */
export function add(c: Container, key: string, value: Slot): void {
  if (!(c instanceof PartialArray)) return set(c, key, value);
  if (key === "-") {
    c.nodes.push(value);
    return;
  }
  const parsed = goAtoi(goBytes(key));
  if ("error" in parsed) throw new ContainerError(`value was not a proper array index: '${key}': ${parsed.error}`);
  let idx = parsed.value;
  const size = BigInt(c.nodes.length + 1);
  if (idx >= size || idx < -size) throw invalidIndex(idx);
  if (idx < 0n) idx += size;
  c.nodes.splice(Number(idx), 0, value);
}

/** remove: an object drops the key's first place in `keys` (a repeated key keeps its other places). */
export function remove(c: Container, key: string): void {
  if (c instanceof PartialArray) {
    let idx = index(key);
    const len = BigInt(c.nodes.length);
    if (idx >= len) throw invalidIndex(idx);
    if (idx < 0n) {
      if (idx < -len) throw invalidIndex(idx);
      idx += len;
    }
    c.nodes.splice(Number(idx), 1);
    return;
  }
  if (c.obj === null) throw new ContainerError(EXPECTED_OBJECT);
  if (!c.obj.has(key)) throw new ContainerError(`unable to remove nonexistent key: ${key}: ${MISSING}`);
  c.keys.splice(c.keys.indexOf(key), 1);
  c.obj.delete(key);
}
