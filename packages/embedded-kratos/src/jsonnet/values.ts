import type { Visibility } from "./ast";
import { RuntimeFailure } from "./errors";

/**
 * Jsonnet's values (spec "Values"): arrays hold lazy elements and objects
 * are stacks of layers whose fields are computed on demand against the final
 * `self`, which is what makes inheritance and late binding work.
 */

export type Value = null | boolean | number | string | JArray | JObject | JFunction;

export class Thunk {
  private state: "pending" | "running" | "done" = "pending";
  private result: Value = null;
  constructor(private compute: (() => Value) | undefined) {}
  static of(value: Value): Thunk {
    const thunk = new Thunk(undefined);
    thunk.state = "done";
    thunk.result = value;
    return thunk;
  }
  get(): Value {
    if (this.state === "done") return this.result;
    // go-jsonnet recurses until its 500 frames run out; the first line of its message is the same.
    if (this.state === "running") throw new RuntimeFailure("max stack frames exceeded.");
    this.state = "running";
    try {
      this.result = (this.compute as () => Value)();
      this.state = "done";
      this.compute = undefined;
      return this.result;
    } finally {
      if (this.state === "running") this.state = "pending";
    }
  }
}

export class JArray {
  constructor(readonly elements: Thunk[]) {}
}

export interface CallArgs {
  positional: Thunk[];
  named: Map<string, Thunk>;
  /** Written `f(…) tailstrict`: arguments computed first, and the call's frame may be replaced by a tail call. */
  tailstrict?: boolean;
}

export class JFunction {
  constructor(
    readonly params: readonly { name: string; hasDefault: boolean }[],
    readonly call: (args: CallArgs) => Value,
    readonly name = "anonymous",
  ) {}
}

/** One field of one layer: how to compute its value for a given `self` (and this layer's position, for `super`). */
export interface LayerField {
  visibility: Visibility;
  /** Written `+:`: its compute adds the value of the layers below (plus-super.ts). */
  plus: boolean;
  compute: (self: JObject, layerIndex: number) => Value;
}

export interface Layer {
  fields: Map<string, LayerField>;
  /** Object-level `assert`s, checked once per `self` before its fields are read. */
  asserts?: (self: JObject, layerIndex: number) => void;
}

export class JObject {
  private readonly cache = new Map<string, Thunk>();
  private assertsChecked = false;
  constructor(readonly layers: readonly Layer[]) {}

  static fromEntries(entries: Iterable<[string, Thunk]>, visibility: Visibility = "inherit"): JObject {
    const fields = new Map<string, LayerField>();
    for (const [name, thunk] of entries) fields.set(name, { visibility, plus: false, compute: () => thunk.get() });
    return new JObject([{ fields }]);
  }

  /** `self + other`: the other object's layers go on top. */
  extend(other: JObject): JObject {
    return new JObject([...this.layers, ...other.layers]);
  }

  /** Whether any of layers 0..upTo defines the field (hidden or not). */
  hasField(name: string, upTo = this.layers.length - 1): boolean {
    for (let i = upTo; i >= 0; i--) if (this.layers[i]?.fields.has(name)) return true;
    return false;
  }

  /** Field names with their visibility after inheritance: the top-most `::` or `:::` decides, `:` keeps what is below. */
  fieldVisibility(): Map<string, boolean> {
    const visible = new Map<string, boolean>();
    for (const layer of this.layers) {
      for (const [name, field] of layer.fields) {
        if (field.visibility === "hidden") visible.set(name, false);
        else if (field.visibility === "visible") visible.set(name, true);
        else if (!visible.has(name)) visible.set(name, true);
      }
    }
    return visible;
  }

  visibleFields(): string[] {
    return [...this.fieldVisibility()].filter(([, visible]) => visible).map(([name]) => name);
  }

  /** `self[name]`, cached: the value does not change for a given object. */
  get(name: string): Value {
    this.checkAsserts();
    let thunk = this.cache.get(name);
    if (!thunk) {
      thunk = new Thunk(() => this.lookup(name, this.layers.length - 1));
      this.cache.set(name, thunk);
    }
    return thunk.get();
  }

  /** `super[name]` as seen from layer `below + 1`: the field as layers 0..below define it. */
  lookup(name: string, below: number): Value {
    for (let i = below; i >= 0; i--) {
      const field = this.layers[i]?.fields.get(name);
      if (!field) continue;
      // A `+:` field's compute adds the inherited value itself (plus-super.ts), within its frames.
      return field.compute(this, i);
    }
    throw new RuntimeFailure(`Field does not exist: ${name}`);
  }

  /** Runs the object's assertions once (go-jsonnet checks them when the object is indexed or manifested). */
  checkAsserts(): void {
    if (this.assertsChecked) return;
    this.assertsChecked = true;
    try {
      // go-jsonnet checks the assertions of the object on top first.
      for (let i = this.layers.length - 1; i >= 0; i--) this.layers[i]?.asserts?.(this, i);
    } catch (error) {
      this.assertsChecked = false;
      throw error;
    }
  }
}

export function typeName(value: Value): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  if (value instanceof JArray) return "array";
  if (value instanceof JObject) return "object";
  return "function";
}

/** go-jsonnet's type errors: `Unexpected type X, expected Y` (or without the expectation). */
export function unexpectedType(bad: Value, expected?: string): RuntimeFailure {
  return new RuntimeFailure(expected ? `Unexpected type ${typeName(bad)}, expected ${expected}` : `Unexpected type ${typeName(bad)}`);
}

/** Go's string comparison (UTF-8 bytes), which orders like code points rather than UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** go-jsonnet's number formatting: integers without a fraction (negative zero as `-0`), anything else as %.17g. */
export function formatNumber(n: number): string {
  // manifestJSON prints an integral number with strconv.FormatFloat(v, 'f', -1, 64), which keeps the sign of zero.
  if (Object.is(n, -0)) return "-0";
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : BigInt(n).toString();
  const [mantissa = "", exponentText = "0"] = n.toExponential(16).split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 17) {
    const m = mantissa.replace(/\.?0+$/, "");
    return `${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return n.toFixed(Math.max(0, 16 - exponent)).replace(/\.?0+$/, "");
}

/** Go's fmt `%v` of a float64 (strconv 'g' with the shortest digits): exponent form below 1e-4 and from 1e6 up. */
export function goFloatV(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n === 0 ? (Object.is(n, -0) ? "-0" : "0") : n > 0 ? "+Inf" : "-Inf";
  const [mantissa = "", exponentText = "0"] = n.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(n);
}

/** makeDoubleCheck (go-jsonnet builtins.go): arithmetic that leaves the finite doubles is an error. */
export function checkedNumber(x: number): number {
  if (Number.isNaN(x)) throw new RuntimeFailure("Not a number");
  if (!Number.isFinite(x)) throw new RuntimeFailure("Overflow");
  return x;
}

/**
 * How the program's result is manifested shows in go-jsonnet's stack traces (interpreter.go manifestJSON): each value
 * gets a frame of its own, and evaluation is placed at `Array element <i>`, `Checking object assertions` or
 * `Field "<name>"` while an element or field is computed. The evaluator supplies these; other callers need none.
 */
export interface ManifestTrace {
  value<T>(fn: () => T): T;
  at<T>(message: string, fn: () => T): T;
}

const UNTRACED: ManifestTrace = { value: (fn) => fn(), at: (_message, fn) => fn() };

/** A value as JSON text in go-jsonnet's layout: sorted keys, 3-space indent, or one line (`, ` between items) when `newline` is empty. */
export function manifestJsonText(value: Value, indent = "   ", newline = "\n", trace: ManifestTrace = UNTRACED): string {
  const render = (v: Value, current: string): string =>
    trace.value(() => {
      if (v === null || typeof v === "boolean") return String(v);
      if (typeof v === "number") return formatNumber(v);
      if (typeof v === "string") return quoteJson(v);
      if (v instanceof JFunction) throw new RuntimeFailure("couldn't manifest function as JSON");
      const inner = current + indent;
      const separator = newline ? `,${newline}` : ", ";
      if (v instanceof JArray) {
        if (!v.elements.length) return "[ ]";
        const items = v.elements.map((e, i) => trace.at(`Array element ${i}`, () => inner + render(e.get(), inner)));
        return `[${newline}${items.join(separator)}${newline}${current}]`;
      }
      trace.at("Checking object assertions", () => v.checkAsserts());
      const names = v.visibleFields().sort(compareStrings);
      if (!names.length) return "{ }";
      const body = names.map((name) =>
        trace.at(`Field ${JSON.stringify(name)}`, () => `${inner}${quoteJson(name)}: ${render(v.get(name), inner)}`),
      );
      return `{${newline}${body.join(separator)}${newline}${current}}`;
    });
  return render(value, "");
}

/** JSON string quoting as go-jsonnet writes it. */
export function quoteJson(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\b") out += "\\b";
    else if (c === "\f") out += "\\f";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}

/**
 * std.toString: strings unchanged, everything else as its JSON text on one line. go-jsonnet's builtinToString
 * manifests the value as its output is manifested, so with the evaluation's `trace` a failing field or element shows
 * its `Field "…"` / `Array element …` line.
 */
export function toStringValue(value: Value, trace: ManifestTrace = UNTRACED): string {
  if (typeof value === "string") return value;
  return manifestJsonText(value, "", "", trace);
}

/** std.equals: structural, over visible fields for objects; functions cannot be compared. */
export function equals(a: Value, b: Value, step: () => void = () => undefined): boolean {
  // `step` runs per value compared: two long arrays of ready values evaluate no node (budget.ts).
  step();
  const ta = typeName(a);
  if (ta !== typeName(b)) return false;
  if (a instanceof JFunction || b instanceof JFunction) throw new RuntimeFailure("Cannot test equality of functions");
  if (a instanceof JArray && b instanceof JArray) {
    return a.elements.length === b.elements.length && a.elements.every((e, i) => equals(e.get(), (b.elements[i] as Thunk).get(), step));
  }
  if (a instanceof JObject && b instanceof JObject) {
    const fa = a.visibleFields().sort(compareStrings);
    const fb = b.visibleFields().sort(compareStrings);
    return fa.length === fb.length && fa.every((name, i) => name === fb[i] && equals(a.get(name), b.get(name), step));
  }
  return a === b;
}

/** The `+` operator (go-jsonnet builtinPlus): a string on the right, or on the left, concatenates; numbers add, arrays join, objects inherit. */
export function plus(left: Value, right: Value, trace: ManifestTrace = UNTRACED): Value {
  if (typeof right === "string" || typeof left === "string") return toStringValue(left, trace) + toStringValue(right, trace);
  if (typeof left === "number") {
    if (typeof right !== "number") throw unexpectedType(right, "number");
    return checkedNumber(left + right);
  }
  if (left instanceof JObject) {
    if (!(right instanceof JObject)) throw unexpectedType(right, "object");
    return left.extend(right);
  }
  if (left instanceof JArray) {
    if (!(right instanceof JArray)) throw unexpectedType(right, "array");
    return new JArray([...left.elements, ...right.elements]);
  }
  throw unexpectedType(left);
}

/** The program's result as plain JSON-compatible data: hidden fields dropped, object keys in go-jsonnet's (sorted) order. */
export function manifest(value: Value, trace: ManifestTrace = UNTRACED): unknown {
  return trace.value(() => {
    if (value === null || typeof value !== "object") return value;
    if (value instanceof JFunction) throw new RuntimeFailure("couldn't manifest function as JSON");
    if (value instanceof JArray) return value.elements.map((e, i) => trace.at(`Array element ${i}`, () => manifest(e.get(), trace)));
    trace.at("Checking object assertions", () => value.checkAsserts());
    const out: Record<string, unknown> = {};
    for (const name of value.visibleFields().sort(compareStrings)) {
      out[name] = trace.at(`Field ${JSON.stringify(name)}`, () => manifest(value.get(name), trace));
    }
    return out;
  });
}

/** Host data (parsed JSON) as Jsonnet values; `undefined` members are skipped as JSON.stringify would. */
export function fromJson(data: unknown): Value {
  if (data === null || data === undefined) return null;
  if (typeof data === "boolean" || typeof data === "string") return data;
  if (typeof data === "number") {
    if (!Number.isFinite(data)) throw new RuntimeFailure("not a finite number in external data");
    return data;
  }
  if (Array.isArray(data)) return new JArray(data.map((e: unknown) => Thunk.of(fromJson(e))));
  if (typeof data === "object") {
    const entries: [string, Thunk][] = [];
    for (const [k, v] of Object.entries(data)) if (v !== undefined) entries.push([k, Thunk.of(fromJson(v))]);
    return JObject.fromEntries(entries);
  }
  throw new RuntimeFailure(`cannot pass a ${typeof data} to Jsonnet`);
}
