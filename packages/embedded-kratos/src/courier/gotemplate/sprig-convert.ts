import { goEscapeStringified } from "@olympus/server-kit/go-json";
import { GoCallError } from "./evaluator";
import { formatValue } from "./fmt";
import { GoStruct, goTypeName, isGoMap } from "./values";

/** sprig's strval: strings and bytes as they are, anything else as fmt's %v. */
export function strval(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  return formatValue(value ?? null);
}

/** spf13/cast ToInt64 as sprig uses it: failures are 0. */
export function toInt64(value: unknown): bigint {
  if (typeof value === "bigint") return BigInt.asIntN(64, value);
  if (typeof value === "number") return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "string") {
    const text = value.replace(/^([+-]?\d+)\.0*$/, "$1");
    const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.exec(text);
    if (!match) return 0n;
    const body = /^0[0-7]+$/.test(match[2]!) ? `0o${match[2]!.slice(1)}` : match[2]!;
    const n = BigInt(body) * (match[1] === "-" ? -1n : 1n);
    return n >= -(2n ** 63n) && n < 2n ** 63n ? n : 0n;
  }
  return 0n;
}

/** spf13/cast ToFloat64 as sprig uses it. */
export function toFloat64(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const n = Number(value);
    return value.trim() !== "" && Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** sprig's empty: the zero value of its type, or nothing at all. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  switch (typeof value) {
    case "string":
      return value.length === 0;
    case "boolean":
      return !value;
    case "bigint":
      return value === 0n;
    case "number":
      return value === 0;
  }
  if (value instanceof GoStruct) return false;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  return Object.keys(value).length === 0;
}

/** sprig's strslice: a list's non-nil elements as strings; one other value is a list of itself. */
export function strslice(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(strval);
  return [strval(value)];
}

/** The value as encoding/json sees it: ints as numbers, a model struct by its json tags. */
function jsonable(value: unknown, ancestors: Set<unknown> = new Set()): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof GoStruct || Array.isArray(value) || isGoMap(value)) {
    // encode.go: a map or slice reached again inside itself is json.Marshal's cycle error, not endless recursion.
    if (ancestors.has(value)) throw new GoCallError(`json: unsupported value: encountered a cycle via ${goTypeName(value)}`);
    ancestors.add(value);
    try {
      if (value instanceof GoStruct) return Object.fromEntries(Object.entries(value.json).map(([k, v]) => [k, jsonable(v, ancestors)]));
      if (Array.isArray(value)) return value.map((v) => jsonable(v, ancestors));
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, jsonable(value[k], ancestors)]),
      );
    } finally {
      ancestors.delete(value);
    }
  }
  return value === undefined ? null : value;
}

/** json.Marshal / MarshalIndent(v, "", "  ") with or without HTML escaping (sprig toJson, toPrettyJson, toRawJson). */
export function goJson(value: unknown, options: { pretty?: boolean; escapeHtml?: boolean } = {}): string {
  const text = JSON.stringify(jsonable(value), null, options.pretty ? 2 : undefined) ?? "null";
  return goEscapeStringified(text, options.escapeHtml ?? true);
}

/** A list argument of sprig's list functions (reflect Slice/Array), or undefined for any other value. */
export function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (value instanceof Uint8Array) return [...value.values()].map((b: number) => BigInt(b));
  return undefined;
}
