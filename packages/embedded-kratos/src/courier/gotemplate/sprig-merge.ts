import { spendStep } from "./budget";
import { GoCallError } from "./evaluator";
import { isEmpty } from "./sprig-convert";
import { GoStruct, type GoMap, isGoMap } from "./values";

/** mergo's ErrDifferentArgumentsTypes, returned when a model struct (a pointer) meets a map without overwrite. */
const DIFFERENT_TYPES = "src and dst must be of same type";

/** Nesting a merge follows: a map put into itself would recurse forever (Go overflows its stack). */
const MAX_MERGE_DEPTH = 1000;

const isSlice = (v: unknown) => Array.isArray(v) || v instanceof Uint8Array;

function setKey(d: GoMap, key: string, value: unknown): void {
  Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * dario.cat/mergo v1.0.1 deepMerge for two map[string]interface{} values
 * (merge.go, its reflect.Map branch), as sprig's merge and mergeOverwrite
 * call it: each source key's value goes in when the destination has none
 * or an empty one (always, with overwrite; a nil source value only with
 * overwrite); nested maps merge into the destination's map in place;
 * a non-empty destination list stays without overwrite. A model struct
 * counts as a pointer: merged into by a map without overwrite, it is
 * mergo's type error; two structs are left as they are (a template holds
 * one model, so they are the same value).
 */
export function mergeMaps(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  if (depth > MAX_MERGE_DEPTH) throw new GoCallError(`value nested deeper than ${MAX_MERGE_DEPTH} (a cap of embedded-kratos)`);
  for (const key of Object.keys(src)) {
    spendStep();
    const value = src[key];
    const has = Object.hasOwn(dst, key);
    const current = has ? dst[key] : undefined;
    if (value === null || value === undefined) {
      if (overwrite) setKey(dst, key, null);
      continue;
    }
    if (isGoMap(value) || value instanceof GoStruct) {
      if (isGoMap(current) && isGoMap(value)) mergeMaps(current, value, overwrite, depth + 1);
      else if (current instanceof GoStruct && isGoMap(value) && !overwrite) throw new GoCallError(DIFFERENT_TYPES);
      if (has && !isEmpty(current) && isGoMap(value) && isGoMap(current)) continue;
    } else if (isSlice(value)) {
      // The slice branch sets a value first; the rule below decides what stays.
      if (has && !isEmpty(current)) {
        if (overwrite) setKey(dst, key, value);
        continue;
      }
    }
    if (overwrite || !has || isEmpty(current)) setKey(dst, key, value);
  }
}

/** sprig dict.go merge / mergeOverwrite (`must` ones return mergo's error; the plain ones print nothing then). */
export function mergeDicts(dst: GoMap, sources: readonly GoMap[], overwrite: boolean, must: boolean): unknown {
  try {
    for (const src of sources) mergeMaps(dst, src, overwrite);
  } catch (error) {
    if (!must && error instanceof GoCallError && error.message === DIFFERENT_TYPES) return "";
    throw error;
  }
  return dst;
}
