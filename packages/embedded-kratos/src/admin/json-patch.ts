import { JsonPatchError, parsePatchValue } from "@olympus/server-kit/json-patch";
import { assertStorable } from "../http/body";
import { errors } from "../http/errors";
import { GoSyntaxError, GoValueTooDeepError, rawNodeValue, readGoNode, scanGoJson, type GoNode } from "@olympus/server-kit/go-json";
import { goAtoi } from "./lazy-json";
import type { RawPatchOperation } from "./lazy-json-patch";

/**
 * JSON Patch on identities (oryx/jsonx/patch.go ApplyJSONPatch): the kit's
 * checks of the operations with the paths Kratos' identity handler denies,
 * and each operation's value kept as the text the body wrote
 * (lazy-json-patch.ts applies them).
 */
export { JsonPatchError } from "@olympus/server-kit/json-patch";
export { applyRawPatch, type RawPatchOperation } from "./lazy-json-patch";

/** glob.Compile("{/id,/statechangedat,/credentials,/credentials/oidc/**}", '/') as Kratos' patch handler denies them. */
export const IDENTITY_DENIED_PATHS: readonly RegExp[] = [/^\/id$/, /^\/statechangedat$/, /^\/credentials$/, /^\/credentials\/oidc\/.*$/];

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * isElementAccess is strconv.Atoi of the last segment: one past int64 is no
 * index, so that replace is tolerated as an add too (the kit only checks
 * the digits).
 */
function effectiveKind(op: RawPatchOperation["op"], path: string): RawPatchOperation["op"] {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return op === "replace" && last !== "-" && "error" in goAtoi(last) ? "add" : op;
}

/** An operation's `value` as Go's map[string]*json.RawMessage holds it: the last one given, as written. */
function rawValue(operation: GoNode | undefined): GoNode | undefined {
  if (operation?.t !== "object") return undefined;
  return operation.entries.findLast(([key]) => key.v === "value")?.[1];
}

/**
 * evanphx/json-patch v5 DecodePatch of the request body's bytes: anything
 * json.Valid refuses is ErrInvalid ("invalid state detected"); otherwise
 * each operation is a map of json.RawMessage, so a `value` goes into the
 * patched document as the text the body wrote (numbers, string escapes,
 * key order, repeated keys). Bytes that are not UTF-8 and NUL are refused
 * (400) as in every other body; bodies nested deeper than the node reader
 * follows too.
 */
export function parseIdentityPatch(body: Uint8Array): RawPatchOperation[] {
  let end: number;
  try {
    end = scanGoJson(body, "unmarshal");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw new JsonPatchError("invalid state detected");
    throw error;
  }
  for (let i = end; i < body.length; i++) if (!isSpace(body[i])) throw new JsonPatchError("invalid state detected");
  let root: GoNode;
  try {
    root = readGoNode(body, end);
  } catch (error) {
    if (error instanceof GoValueTooDeepError) throw errors.badRequest("The request body is nested too deeply.");
    throw error;
  }
  const parsed = rawNodeValue(root, true);
  assertStorable(parsed);
  const operations = parsePatchValue(parsed, IDENTITY_DENIED_PATHS);
  // parsePatchValue accepted an array and answers one operation per item, in order.
  const items = root.t === "array" ? root.items : [];
  return operations.map(({ op, path }, i) => ({ op: effectiveKind(op, path), path, value: rawValue(items[i]) }));
}
