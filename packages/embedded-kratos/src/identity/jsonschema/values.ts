import { isObject, type Json, type Limit, type Schema } from "./compile";
import { compareBig, parseBigFloat, quotientIsInt } from "./go-big";
import { goBigFloat } from "./go-format";
import { numberText } from "./json-number";
import { validationError, type ValidationError } from "./validation-error";

/** How schema.go sees JSON values: their type (jsonType), equality (equals) and the number checks. */

export function jsonType(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "boolean";
  if (numberText(value) !== undefined) return "number";
  if (typeof value === "string") return "string";
  return "object";
}

/** big.Float SetString of a number's text (NaN-free: only JSON numbers get here). */
const bigOf = (value: Json) => parseBigFloat(numberText(value) ?? "0") ?? { m: 0n, e: 0 };

/** schema.go equals: numbers compare as big.Floats of their text. */
export function equals(a: Json, b: Json): boolean {
  const type = jsonType(a);
  if (type !== jsonType(b)) return false;
  if (type === "number") return compareBig(bigOf(a), bigOf(b)) === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equals(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k]));
  }
  return a === b;
}

/** schema.go's number checks on big.Floats of the text; the message shows the text (%v of a json.Number). */
export function numberErrors(s: Schema, found: string): ValidationError[] {
  const errors: ValidationError[] = [];
  const v = parseBigFloat(found) ?? { m: 0n, e: 0 };
  const cmp = (l: Limit) => compareBig(v, l.big);
  if (s.minimum && cmp(s.minimum) < 0)
    errors.push(validationError("minimum", `must be >= ${goBigFloat(s.minimum.value)} but found ${found}`));
  if (s.exclusiveMinimum && cmp(s.exclusiveMinimum) <= 0)
    errors.push(validationError("exclusiveMinimum", `must be > ${goBigFloat(s.exclusiveMinimum.value)} but found ${found}`));
  if (s.maximum && cmp(s.maximum) > 0)
    errors.push(validationError("maximum", `must be <= ${goBigFloat(s.maximum.value)} but found ${found}`));
  if (s.exclusiveMaximum && cmp(s.exclusiveMaximum) >= 0)
    errors.push(validationError("exclusiveMaximum", `must be < ${goBigFloat(s.exclusiveMaximum.value)} but found ${found}`));
  if (s.multipleOf && !quotientIsInt(v, s.multipleOf.big))
    errors.push(validationError("multipleOf", `${found} not multipleOf ${goBigFloat(s.multipleOf.value)}`));
  return errors;
}
