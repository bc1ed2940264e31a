import { goQuote, goQuotedRune } from "@olympus/server-kit/go-strconv";
import { exactExponential, exactFixed, exactGeneral } from "./exact-decimal";
import { GoStruct, goTypeName, isGoMap, sortedKeys } from "./values";

/** strconv.FormatFloat(f, 'g', -1, 64) — what fmt's %v prints for a float64 (`1e+06`, `0.5`, `123456`). */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa = "", expText = "0"] = f.toExponential().split("e");
  const exp = Number(expText);
  // The shortest form uses an exponent below 1e-4 and from 1e6 on (strconv's eprec 6).
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  const sign = f < 0 ? "-" : "";
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** strconv.QuoteRune: in single quotes, where `'` is escaped and `"` is not. */
function quoteRune(code: number): string {
  if (code === 0x27) return "'\\''";
  if (code === 0x22) return `'"'`;
  return `'${goQuotedRune(code)}'`;
}

/** fmt's %v of a value (fmt.Sprint of one operand). */
export function formatValue(value: unknown): string {
  if (value === undefined) return "<invalid reflect.Value>";
  if (value === null) return "<nil>";
  switch (typeof value) {
    case "string":
      return value;
    case "bigint":
    case "boolean":
      return String(value);
    case "number":
      return formatGoFloat(value);
  }
  if (value instanceof GoStruct) return `&{${[...value.fields.values()].map(formatValue).join(" ")}}`;
  if (value instanceof Uint8Array) return `[${[...value].join(" ")}]`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(" ")}]`;
  if (isGoMap(value))
    return `map[${sortedKeys(value)
      .map((k) => `${k}:${formatValue(value[k])}`)
      .join(" ")}]`;
  return "?";
}

/** fmt.Sprint: operands side by side, a space only between two operands when neither is a string. */
export function goSprint(args: readonly unknown[]): string {
  let out = "";
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += formatValue(arg);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands and a closing newline. */
export function goSprintln(args: readonly unknown[]): string {
  return `${args.map(formatValue).join(" ")}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  precision: number | undefined;
}

const badVerb = (verb: string, value: unknown) =>
  value === null || value === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(value)}=${formatValue(value)})`;

function pad(text: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  if (spec.minus) return text + " ".repeat(width - length);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(text) ? text.slice(0, 1) : "";
    return sign + "0".repeat(width - length) + text.slice(sign.length);
  }
  return " ".repeat(width - length) + text;
}

function signed(text: string, negative: boolean, spec: Spec): string {
  if (negative) return `-${text}`;
  if (spec.plus) return `+${text}`;
  if (spec.space) return ` ${text}`;
  return text;
}

function formatInteger(value: bigint, verb: string, spec: Spec): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let digits: string;
  switch (verb) {
    case "d":
    case "v":
      digits = magnitude.toString(10);
      break;
    case "x":
      digits = (spec.sharp ? "0x" : "") + magnitude.toString(16);
      break;
    case "X":
      digits = (spec.sharp ? "0X" : "") + magnitude.toString(16).toUpperCase();
      break;
    case "o":
      digits = (spec.sharp ? "0" : "") + magnitude.toString(8);
      break;
    case "b":
      digits = magnitude.toString(2);
      break;
    default:
      return badVerb(verb, value);
  }
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, "0");
  return pad(signed(digits, negative, { ...spec }), { ...spec, zero: spec.zero && spec.precision === undefined }, true);
}

function formatFloat(value: number, verb: string, spec: Spec): string {
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let text: string;
  if (!Number.isFinite(magnitude)) text = Number.isNaN(magnitude) ? "NaN" : "Inf";
  else
    switch (verb) {
      case "f":
      case "F":
        text = exactFixed(magnitude, spec.precision ?? 6);
        break;
      case "e":
      case "E": {
        const { mantissa, exponent } = exactExponential(magnitude, spec.precision ?? 6);
        text = `${mantissa}${verb}${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
        break;
      }
      case "g":
      case "G":
      case "v":
        text = spec.precision === undefined ? formatGoFloat(magnitude) : exactGeneral(magnitude, spec.precision);
        if (verb === "G") text = text.toUpperCase();
        break;
      default:
        return badVerb(verb, value);
    }
  if (Number.isNaN(value)) return pad(spec.plus ? "+NaN" : spec.space ? " NaN" : "NaN", { ...spec, zero: false }, false);
  return pad(signed(text, negative, spec), { ...spec, zero: spec.zero && Number.isFinite(value) }, true);
}

function formatString(value: string, verb: string, spec: Spec): string {
  const runes = [...value];
  const truncated = spec.precision !== undefined ? runes.slice(0, spec.precision).join("") : value;
  switch (verb) {
    case "s":
    case "v":
      return pad(truncated, spec, false);
    case "q":
      return pad(spec.sharp && !truncated.includes("`") ? `\`${truncated}\`` : goQuote(truncated), spec, false);
    case "x":
    case "X": {
      const hex = Buffer.from(truncated, "utf8").toString("hex");
      return pad(verb === "X" ? hex.toUpperCase() : hex, spec, false);
    }
    default:
      return badVerb(verb, value);
  }
}

function formatOne(value: unknown, verb: string, spec: Spec): string {
  if (verb === "T") return pad(value === null || value === undefined ? "<nil>" : goTypeName(value), spec, false);
  if (value === null || value === undefined) return verb === "v" ? pad("<nil>", spec, false) : badVerb(verb, value);
  switch (typeof value) {
    case "string":
      return formatString(value, verb, spec);
    case "bigint":
      if (verb === "c") return pad(String.fromCodePoint(Number(value)), spec, false);
      if (verb === "U") return pad(`U+${value.toString(16).toUpperCase().padStart(4, "0")}`, spec, false);
      if (verb === "q") return pad(quoteRune(Number(value)), spec, false);
      return formatInteger(value, verb, spec);
    case "number":
      return formatFloat(value, verb, spec);
    case "boolean":
      return verb === "t" || verb === "v" ? pad(String(value), spec, false) : badVerb(verb, value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatOne(v, verb, spec)).join(" ")}]`;
  if (isGoMap(value))
    return `map[${sortedKeys(value)
      .map((k) => `${formatOne(k, verb, spec)}:${formatOne(value[k], verb, spec)}`)
      .join(" ")}]`;
  return verb === "v" || verb === "s" ? pad(formatValue(value), spec, false) : badVerb(verb, value);
}

/** fmt.Sprintf for the verbs templates use: %v %s %d %q %x %X %o %b %c %f %e %g %t %T %%, flags, width and precision (also `*`). */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, precision: undefined };
    for (; i < format.length; i++) {
      const flag = format[i];
      if (flag === "-") spec.minus = true;
      else if (flag === "+") spec.plus = true;
      else if (flag === "#") spec.sharp = true;
      else if (flag === " ") spec.space = true;
      else if (flag === "0") spec.zero = !spec.minus;
      else break;
    }
    // fmt's tooLarge: widths and precisions past 10^6 are refused, which also keeps padding bounded.
    const number = (): number | undefined => {
      const match = /^\d+/.exec(format.slice(i));
      if (!match) return undefined;
      i += match[0].length;
      const n = Number(match[0]);
      return n > 1e6 ? undefined : n;
    };
    const star = (): number | "bad" => {
      i++;
      const arg = args[argIndex++];
      return typeof arg === "bigint" && arg <= 1_000_000n && arg >= -1_000_000n ? Number(arg) : "bad";
    };
    if (format[i] === "*") {
      const w = star();
      if (w === "bad") out += "%!(BADWIDTH)";
      else if (w < 0) {
        spec.minus = true;
        spec.width = -w;
      } else spec.width = w;
    } else spec.width = number();
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        const p = star();
        if (p === "bad") out += "%!(BADPREC)";
        else spec.precision = p < 0 ? undefined : p;
      } else spec.precision = number() ?? 0;
    }
    const verb = format.codePointAt(i) === undefined ? undefined : String.fromCodePoint(format.codePointAt(i)!);
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(args[argIndex++], verb, spec);
  }
  if (argIndex < args.length) {
    out += `%!(EXTRA ${args
      .slice(argIndex)
      .map((a) => (a === null || a === undefined ? "<nil>" : `${goTypeName(a)}=${formatValue(a)}`))
      .join(", ")})`;
  }
  return out;
}
