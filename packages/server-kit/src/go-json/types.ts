import type { GoNode } from "./value";

/**
 * How a Go type is described to the decoder (GoType), what it decodes to
 * (GoJson) and Go's errors (GoJsonError, GoUnmarshalTypeError).
 */

/** A json.RawMessage kept with its compact text (see GoDecodeOptions.keepText). */
export interface GoKeptText {
  readonly text: string;
  readonly value: unknown;
}

export type GoType =
  /** A Go string type; `name` is how Go prints it (`string`, `identity.State`). */
  | { kind: "string"; name: string }
  | { kind: "bool"; name?: string }
  /**
   * A Go integer type (`int`, `int64`, `uint8`…): the literal must be an
   * integer (strconv.ParseInt / ParseUint) that fits `bits` (64 by default).
   */
  | { kind: "int"; name?: string; bits?: 8 | 16 | 32 | 64; unsigned?: boolean }
  /** float64 or float32: strconv.ParseFloat; a literal past the type's range is refused. */
  | { kind: "float"; name?: string; bits?: 32 | 64 }
  /**
   * json.RawMessage (or a type that keeps its bytes the same way): any JSON
   * value, kept as is. `numberText`: its numbers stay JSON.rawJSON values
   * holding their text. `keepText`: the field decodes to what the decoder's
   * `keepText` option makes of its compact text and value.
   */
  | { kind: "raw"; name?: string; numberText?: boolean; keepText?: boolean }
  /** `interface {}`: any JSON value as Go decodes it into one (numbers as float64). */
  | { kind: "any" }
  /** uuid.UUID (a JSON string) or uuid.NullUUID (also `null`). */
  | { kind: "uuid"; nullable: boolean }
  /** time.Time or sqlxx.NullTime (RFC 3339 strings). */
  | { kind: "time"; name: string }
  /**
   * A struct; `pointer`: a *T field, which `null` resets (a struct value
   * keeps its fields). `embedded`: the fields of anonymous struct fields,
   * promoted into this one (Go ≥ 1.24 names the embedded field in error
   * paths: `Client.Lifespans.x`); their values join this struct's.
   */
  | { kind: "struct"; name: string; fields: Record<string, GoType>; pointer?: boolean; embedded?: GoEmbedded[] }
  | { kind: "slice"; name: string; elem: GoType }
  /** A Go map with string keys; the key joins the error path as Go does. */
  | { kind: "map"; name: string; elem: GoType }
  /**
   * A type with its own UnmarshalJSON: `decode` gets the value (never for a
   * missing field) and returns what the field holds (undefined: unset). What
   * it throws stops decoding at once (decode.go d.value returns it); a
   * GoUnmarshalTypeError it throws gets the field's context, as
   * decodeState.addErrorContext adds it. `unmarshalAs` gives such methods
   * Go's inner json.Unmarshal.
   */
  | { kind: "unmarshaler"; name: string; decode: (node: GoNode) => GoJson<never> | undefined };

/** An anonymous struct field: its Go type name (as the path shows it) and the fields it promotes. */
export interface GoEmbedded {
  name: string;
  fields: Record<string, GoType>;
}

/** A decoded value; `K` is what the decoder's `keepText` makes of a raw field that keeps its text. */
export type GoJson<K = GoKeptText> = null | boolean | number | string | K | GoJson<K>[] | { [key: string]: GoJson<K> };

export interface GoDecodeOptions<K extends GoKeptText = GoKeptText> {
  /** jsonx.NewStrictDecoder / DisallowUnknownFields: an unknown key is `json: unknown field "x"`. */
  strict: boolean;
  /** Makes the value of a `raw` field with `keepText`; without it such a field decodes to its value. */
  keepText?: (text: string, value: unknown) => K;
}

export class GoJsonError extends Error {
  override name = "GoJsonError";
}

/**
 * encoding/json's UnmarshalTypeError: a JSON value of a kind the Go type
 * cannot take. Without a struct it reads `into Go value of type T`.
 */
export class GoUnmarshalTypeError extends GoJsonError {
  override name = "GoUnmarshalTypeError";
  constructor(
    /** Go's description of the value: `string`, `number 1.5`. */
    readonly value: string,
    readonly typeName: string,
    readonly struct?: string,
    readonly field?: string,
  ) {
    super(
      struct !== undefined
        ? `json: cannot unmarshal ${value} into Go struct field ${struct}.${field ?? ""} of type ${typeName}`
        : `json: cannot unmarshal ${value} into Go value of type ${typeName}`,
    );
  }

  /** addErrorContext: the struct being decoded and the path to the field; a field the error already names is appended. */
  withContext(struct: string, path: string[]): GoUnmarshalTypeError {
    return new GoUnmarshalTypeError(this.value, this.typeName, struct, [...path, ...(this.field ? [this.field] : [])].join("."));
  }
}

/** How Go's reflect.Type.String names the type in an UnmarshalTypeError. */
export function goTypeName(type: GoType): string {
  switch (type.kind) {
    case "string":
    case "time":
    case "struct":
    case "slice":
    case "map":
    case "unmarshaler":
      return type.name;
    case "bool":
      return type.name ?? "bool";
    case "int":
      return type.name ?? `${type.unsigned ? "uint" : "int"}${type.bits === undefined ? "" : String(type.bits)}`;
    case "float":
      return type.name ?? `float${String(type.bits ?? 64)}`;
    case "raw":
      return type.name ?? "json.RawMessage";
    case "any":
      return "interface {}";
    case "uuid":
      return type.nullable ? "uuid.NullUUID" : "uuid.UUID";
  }
}
