import { spendStep } from "./budget";
import { GoCallError } from "./evaluator";
import { goMethodSetOf, isGoMap, type GoMap, GoStruct, withGoMethods } from "./values";

/** Nesting a copy follows before giving up: a map put into itself (`set $d "d" $d`) would recurse forever (Go overflows its stack). */
const MAX_COPY_DEPTH = 1000;

function copyValue(value: unknown, depth: number): unknown {
  if (depth > MAX_COPY_DEPTH) throw new GoCallError(`value nested deeper than ${MAX_COPY_DEPTH} (a cap of embedded-kratos)`);
  spendStep();
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (Array.isArray(value)) return value.map((v) => copyValue(v, depth + 1));
  // A model struct is never changed by a template (no function sets its fields), so sharing it is a copy.
  if (value instanceof GoStruct || !isGoMap(value)) return value;
  const out: GoMap = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, { value: copyValue(value[key], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  const methods = goMethodSetOf(value);
  return methods ? withGoMethods(out, methods) : out;
}

/**
 * sprig dict.go mustDeepCopy (mitchellh/copystructure v1.2.0 Copy): maps
 * and lists copied all the way down; a nil argument is the reflect panic
 * copystructure runs into, for deepCopy and mustDeepCopy alike.
 */
export function deepCopy(value: unknown): unknown {
  if (value === null || value === undefined) throw new GoCallError("reflect: call of reflect.Value.Type on zero Value");
  return copyValue(value, 0);
}
