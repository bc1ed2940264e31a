import { stdSite, type StdCode } from "./std-frames";
import { JObject, unexpectedType, type Thunk, type Value } from "./values";

/**
 * std.objectHas / std.objectHasAll (std.jsonnet lines 1565, 1568: `std.objectHasEx(o, f, hidden)`), which `f in o`
 * calls too (desugarer.go turns it into `std.objectHasAll(o, f)`). builtinObjectHasEx forces `o`, then `f`, each a
 * variable read in a frame pushed from the call, and checks the object, the name and the flag in that order.
 */
export function objectHasTraced(std: StdCode, o: Thunk, f: Thunk, hidden: boolean): boolean {
  const line = hidden ? 1568 : 1565;
  const call = stdSite(line, 5, hidden ? 32 : 33, "function <anonymous>");
  const variable = (column: number) => stdSite(line, column, column + 1, "thunk from <function <anonymous>>");
  const object = std.argument(call, variable(21), o);
  const name = std.argument(call, variable(24), f);
  return std.at(call, () => hasField(object, name, hidden));
}

/** builtinObjectHasEx after its arguments are forced: the object, the name and the flag checked in that order. */
export function hasField(object: Value | undefined, name: Value | undefined, hidden: Value | undefined): boolean {
  if (!(object instanceof JObject)) throw unexpectedType(object ?? null, "object");
  if (typeof name !== "string") throw unexpectedType(name ?? null, "string");
  if (typeof hidden !== "boolean") throw unexpectedType(hidden ?? null, "boolean");
  return hidden ? object.hasField(name) : object.visibleFields().includes(name);
}
