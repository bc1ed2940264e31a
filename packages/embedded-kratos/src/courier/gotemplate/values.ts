/**
 * Go values as the template engine sees them. JavaScript values stand for
 * Go's: string, boolean, bigint (int), number (float64, as encoding/json
 * decodes numbers into interface{}), arrays ([]interface{}), plain objects
 * (map[string]interface{}), null (a nil interface) and GoStruct (a model
 * struct, whose missing fields are an error, unlike a map's missing keys).
 * `undefined` is reflect's invalid Value: a missing map key, printed
 * `<no value>`.
 */
export class GoStruct {
  constructor(
    /** As Go prints it in errors, e.g. `*email.RecoveryCodeValidModel`. */
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, unknown>,
    /** What json.Marshal makes of it (the struct's json tags), for sprig's toJson. */
    readonly json: Record<string, unknown>,
  ) {}
}

/** A function value of a FuncMap: gets its arguments already checked against `params`. */
export interface GoFunc {
  /** Parameter types: "string", "int", "bool", "float64", "any", "map", "list"; the last repeats when `variadic`. */
  params: readonly ParamType[];
  variadic?: boolean;
  call: (...args: unknown[]) => unknown;
}
export type ParamType = "string" | "int" | "bool" | "float64" | "any" | "map" | "list";

export type GoMap = Record<string, unknown>;

/**
 * The methods of a Go named type whose value is otherwise a map (such as
 * http.Header): a template calls them as fields with arguments
 * (`.UserRequestHeaders.Get "User-Agent"`), and they come before the map's
 * keys (exec.go evalField looks up a method first).
 */
export interface GoMethodSet {
  /** As Go prints the type in errors, e.g. `http.Header`. */
  readonly typeName: string;
  readonly methods: ReadonlyMap<string, GoFunc>;
  /** The zero value of the map's element type, which `index` gives for a missing key (interface{}'s is nil). */
  readonly elemZero?: () => unknown;
}

const METHOD_SETS = new WeakMap<object, GoMethodSet>();

/** Marks `value` as a value of the named type `set` describes; its keys stay the map's. */
export function withGoMethods<T extends GoMap>(value: T, set: GoMethodSet): T {
  METHOD_SETS.set(value, set);
  return value;
}

export function goMethodSetOf(value: unknown): GoMethodSet | undefined {
  return typeof value === "object" && value !== null ? METHOD_SETS.get(value) : undefined;
}

export function isGoMap(value: unknown): value is GoMap {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof GoStruct) && !(value instanceof Uint8Array)
  );
}

/**
 * The Go type of a string, boolean, bigint or number (undefined for any other
 * value): for these the type's name and reflect's Kind name are one word.
 */
export function goScalarTypeName(value: unknown): "string" | "bool" | "int" | "float64" | undefined {
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float64";
    default:
      return undefined;
  }
}

/** Go's name of a value's dynamic type, as errors print it. */
export function goTypeName(value: unknown): string {
  if (value === undefined) return "<invalid reflect.Value>";
  if (value === null) return "<nil>";
  const scalar = goScalarTypeName(value);
  if (scalar !== undefined) return scalar;
  if (value instanceof GoStruct) return value.typeName;
  const named = goMethodSetOf(value);
  if (named) return named.typeName;
  if (value instanceof Uint8Array) return "[]uint8";
  if (Array.isArray(value)) return value.every((v) => typeof v === "string") && value.length > 0 ? "[]string" : "[]interface {}";
  return "map[string]interface {}";
}

/** text/template's truth (exec.go isTrue): the zero value of its type is false; no value at all is false too. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  switch (typeof value) {
    case "string":
      return value.length > 0;
    case "boolean":
      return value;
    case "bigint":
      return value !== 0n;
    case "number":
      return value !== 0;
  }
  if (value instanceof GoStruct) return true;
  if (value instanceof Uint8Array) return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

/** Keys of a map in fmtsort's order (strings: byte-wise). */
export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort(compareBytewise);
}

export function compareBytewise(a: string, b: string): number {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return Buffer.compare(x, y);
}
