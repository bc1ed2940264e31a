import { goAtoi } from "../go-strconv";
import { goBytes } from "../go-url";

/**
 * The checks oryx/jsonx/patch.go ApplyJSONPatch runs on a JSON Patch before
 * evanphx/json-patch v5 applies it (both Ory servers: Kratos on identities,
 * Hydra on OAuth2 clients): jsonpatch.DecodePatch's shape and validatePatch
 * checks, only `add`, `remove` and `replace`, the caller's denied paths, and
 * `replace` of an object member turned into `add` (so it may create the
 * member). Failures carry json-patch's own error texts (Kratos returns them
 * as the error message; Hydra's error enhancer cannot name them). The
 * operations are applied on the document's text (lazy-json-patch.ts).
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

/** isElementAccess: the last segment is `-` or what strconv.Atoi takes (one past int64 is no index). */
function isElementAccess(path: string): boolean {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return last === "-" || "value" in goAtoi(goBytes(last));
}

/**
 * jsonpatch.DecodePatch's shape checks and those ApplyJSONPatch runs before
 * applying, on the body's parsed value (numbers kept as JSON.rawJSON): an
 * array of operations, each with what its kind needs, of an allowed kind,
 * on a path that is not denied.
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
