import { GoSyntaxError, rawNodeValue, readGoNode, scanGoJson, type GoNode } from "../go-json";
import { JsonPatchError, parsePatchValue } from "./json-patch";
import type { RawPatchOperation } from "./lazy-json-patch";

export interface DecodeRawPatchOptions {
  /** ApplyJSONPatch's denyPaths, as globs over the lower-cased path. */
  deniedPaths: readonly RegExp[];
  /** Sees the body's value (numbers as JSON.rawJSON) before the operations are checked, e.g. to refuse text that cannot be stored. */
  inspect?: (value: unknown) => void;
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** An operation's `value` as Go's map[string]*json.RawMessage holds it: the last one given, as written. */
function rawValue(operation: GoNode | undefined): GoNode | undefined {
  if (operation?.t !== "object") return undefined;
  return operation.entries.findLast(([key]) => key.v === "value")?.[1];
}

/**
 * evanphx/json-patch v5 DecodePatch of the request body's bytes, then
 * ApplyJSONPatch's checks (json-patch.ts parsePatchValue): anything
 * json.Valid refuses is ErrInvalid ("invalid state detected"); otherwise
 * each operation is a map of json.RawMessage, so a `value` goes into the
 * patched document as the text the body wrote (numbers, string escapes,
 * key order, repeated keys). A body nested deeper than the node reader
 * follows throws GoValueTooDeepError (the caller answers it).
 */
export function decodeRawPatch(body: Uint8Array, options: DecodeRawPatchOptions): RawPatchOperation[] {
  let end: number;
  try {
    end = scanGoJson(body, "unmarshal");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw new JsonPatchError("invalid state detected");
    throw error;
  }
  for (let i = end; i < body.length; i++) if (!isSpace(body[i])) throw new JsonPatchError("invalid state detected");
  const root = readGoNode(body, end);
  const parsed = rawNodeValue(root, true);
  options.inspect?.(parsed);
  const operations = parsePatchValue(parsed, options.deniedPaths);
  // parsePatchValue accepted an array and answers one operation per item, in order.
  const items = root.t === "array" ? root.items : [];
  return operations.map(({ op, path }, i) => ({ op, path, value: rawValue(items[i]) }));
}
