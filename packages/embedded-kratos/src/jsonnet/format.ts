import { BudgetExceeded, EVALUATION_ELEMENT_LIMIT } from "./budget";
import { RuntimeFailure } from "./errors";
import { goLog, goPow } from "./go-math";
import { type Thunk, toStringValue, typeName, type Value } from "./values";

/**
 * The parsing and rendering of std.format and `string % values`, as go-jsonnet runs it: the Jsonnet
 * standard library's own `format` (stdlib/std.jsonnet, `format(str, vals)`:
 * parse_codes, format_code, render_int, render_hex, render_float_dec,
 * render_float_sci). The arithmetic is
 * the same IEEE double arithmetic, in the same order, with Go's `math.Pow` and
 * `math.Log` (go-math.ts) where std.jsonnet calls std.pow and std.log, so digits match.
 * std-format.ts walks the codes (format_codes_arr/format_codes_obj) with the frames go-jsonnet shows.
 */

interface Flags {
  alt: boolean;
  zero: boolean;
  left: boolean;
  blank: boolean;
  plus: boolean;
}

export interface Code {
  mkey: string | null;
  flags: Flags;
  fw: number | "*";
  prec: number | "*" | null;
  ctype: "d" | "o" | "x" | "e" | "f" | "g" | "c" | "s" | "%";
  caps: boolean;
}

const CONVERSIONS: Record<string, [Code["ctype"], boolean]> = {
  d: ["d", false],
  i: ["d", false],
  u: ["d", false],
  o: ["o", false],
  x: ["x", false],
  X: ["x", true],
  e: ["e", false],
  E: ["e", true],
  f: ["f", false],
  F: ["f", true],
  g: ["g", false],
  G: ["g", true],
  c: ["c", false],
  s: ["s", false],
  "%": ["%", false],
};

const truncated = () => new RuntimeFailure("Truncated format code.");

/**
 * One element of the template parse_codes walks: a character of a string template, or an element of an array one
 * (std.jsonnet indexes either with `str[i]`), read when parse_codes first reads it.
 */
export type TemplateElement = string | Thunk;

const FLAG_NAMES: Record<string, keyof Flags> = { "#": "alt", "0": "zero", "-": "left", " ": "blank", "+": "plus" };

/**
 * parse_codes: literal text and codes, alternating. It compares each element with one character (`c == '%'`), which
 * a longer string or another type never equals, and joins elements with `cur + c`, which gives a non-string its
 * std.toString text.
 */
export function parseCodes(elements: readonly TemplateElement[]): (string | Code)[] {
  const out: (string | Code)[] = [];
  let current = "";
  let i = 0;
  const valueAt = (j: number): Value => {
    const element = elements[j];
    if (element === undefined) throw truncated();
    return typeof element === "string" ? element : element.get();
  };
  /** The element as a character parse_codes tests for, or undefined where no test can match. */
  const charAt = (j: number): string | undefined => {
    const value = valueAt(j);
    return typeof value === "string" && Array.from(value).length === 1 ? value : undefined;
  };
  const textAt = (j: number): string => toStringValue(valueAt(j));
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  const readNumber = (): number | "*" => {
    if (i < elements.length && charAt(i) === "*") {
      i++;
      return "*";
    }
    let value = 0;
    while (isDigit(charAt(i))) value = value * 10 + Number(charAt(i++));
    return value;
  };
  const lookup = <T>(table: Record<string, T>, c: string | undefined): T | undefined =>
    c !== undefined && Object.hasOwn(table, c) ? table[c] : undefined;
  while (i < elements.length) {
    if (charAt(i) !== "%") {
      current += textAt(i++);
      continue;
    }
    i++;
    let mkey: string | null = null;
    if (charAt(i) === "(") {
      let key = "";
      i++;
      while (charAt(i) !== ")") key += textAt(i++);
      i++;
      mkey = key;
    }
    const flags: Flags = { alt: false, zero: false, left: false, blank: false, plus: false };
    for (let flag = lookup(FLAG_NAMES, charAt(i)); flag; flag = lookup(FLAG_NAMES, charAt(i))) {
      flags[flag] = true;
      i++;
    }
    const fw = readNumber();
    let prec: number | "*" | null = null;
    if (charAt(i) === ".") {
      i++;
      prec = readNumber();
    }
    if (["h", "l", "L"].includes(charAt(i) ?? "")) i++;
    const conversion = lookup(CONVERSIONS, charAt(i));
    if (!conversion) throw new RuntimeFailure(`Unrecognised conversion type: ${textAt(i)}`);
    i++;
    out.push(current, { mkey, flags, fw, prec, ctype: conversion[0], caps: conversion[1] });
    current = "";
  }
  out.push(current);
  return out;
}

const length = (s: string) => Array.from(s).length;
export const padLeft = (s: string, w: number, c: string) => padding(s, w, c) + s;
export const padRight = (s: string, w: number, c: string) => s + padding(s, w, c);

/**
 * The padding a width or precision asks for, within the evaluation's element
 * limit: `"%400000000d" % 1` would otherwise build a 400 MB string before
 * any budget sees it (Kratos' worker process has an address-space limit).
 */
function padding(s: string, w: number, c: string): string {
  const count = Math.max(0, w - length(s));
  if (count > EVALUATION_ELEMENT_LIMIT) {
    throw new BudgetExceeded(`the evaluation would build more than ${EVALUATION_ELEMENT_LIMIT} elements`);
  }
  return c.repeat(count);
}

/** render_int: sign and magnitude in a radix up to 10, digits found by repeated division as std.jsonnet does. */
function renderInt(
  neg: boolean,
  mag: number,
  minChars: number,
  minDigits: number,
  blank: boolean,
  plus: boolean,
  radix: number,
  zeroPrefix: string,
): string {
  let dec = "";
  if (mag === 0) dec = "0";
  else {
    for (let n = mag; n !== 0; n = Math.floor(n / radix)) dec = formatDigit(n % radix) + dec;
    dec = zeroPrefix + dec;
  }
  const zp = minChars - (neg || blank || plus ? 1 : 0);
  return (neg ? "-" : plus ? "+" : blank ? " " : "") + padLeft(dec, Math.max(zp, minDigits), "0");
}

/** A digit as Jsonnet's string + number prints it (a whole number below the radix). */
const formatDigit = (d: number) => String(d);

function renderHex(n: number, minChars: number, minDigits: number, blank: boolean, plus: boolean, zerox: boolean, caps: boolean): string {
  const numerals = caps ? "0123456789ABCDEF" : "0123456789abcdef";
  const magnitude = Math.floor(Math.abs(n));
  let hex = "";
  for (let m = magnitude; m !== 0; m = Math.floor(m / 16)) hex = numerals[m % 16] + hex;
  if (magnitude === 0) hex = "0";
  const neg = n < 0;
  const zp = minChars - (neg || blank || plus ? 1 : 0) - (zerox ? 2 : 0);
  const body = (zerox ? (caps ? "0X" : "0x") : "") + padLeft(hex, Math.max(zp, minDigits), "0");
  return (neg ? "-" : plus ? "+" : blank ? " " : "") + body;
}

function renderFloatDec(
  n: number,
  zeroPad: number,
  blank: boolean,
  plus: boolean,
  ensurePt: boolean,
  trailing: boolean,
  prec: number,
): string {
  const abs = Math.abs(n);
  // std.jsonnet's std.pow(10, prec): a double past its range is go-jsonnet's "Overflow".
  const denominator = goPow(10, prec);
  if (!Number.isFinite(denominator)) throw new RuntimeFailure("Overflow");
  const numerator = abs * denominator + 0.5;
  const whole = Math.sign(abs) * Math.floor(numerator / denominator);
  const frac = Math.floor(numerator) % denominator;
  const dotSize = prec === 0 && !ensurePt ? 0 : 1;
  const text = renderInt(n < 0, whole, zeroPad - prec - dotSize, 0, blank, plus, 10, "");
  if (prec === 0) return text + (ensurePt ? "." : "");
  if (!trailing && !(frac > 0)) return text;
  const fracText = renderInt(false, frac, prec, 0, false, false, 10, "");
  return `${text}.${trailing ? fracText : fracText.replace(/0+$/, "")}`;
}

function renderFloatSci(
  n: number,
  zeroPad: number,
  blank: boolean,
  plus: boolean,
  ensurePt: boolean,
  trailing: boolean,
  caps: boolean,
  prec: number,
): string {
  const exponent = n === 0 ? 0 : Math.floor(goLog(Math.abs(n)) / goLog(10));
  const suffix = (caps ? "E" : "e") + renderInt(exponent < 0, Math.abs(exponent), 3, 0, false, true, 10, "");
  // 10^-324 is 0 in doubles; std.jsonnet divides in two steps there.
  const mantissa = exponent === -324 ? (n * 10) / goPow(10, exponent + 1) : n / goPow(10, exponent);
  return renderFloatDec(mantissa, zeroPad - length(suffix), blank, plus, ensurePt, trailing, prec) + suffix;
}

export function formatCode(value: Value, code: Code, fw: number, precOrNull: number | null, at: number | string): string {
  const { flags } = code;
  const fpprec = precOrNull ?? 6;
  const iprec = precOrNull ?? 0;
  const zp = flags.zero && !flags.left ? fw : 0;
  if (code.ctype === "s") return toStringValue(value);
  if (code.ctype === "c") {
    if (typeof value === "number") return String.fromCodePoint(value);
    if (typeof value === "string") {
      if (length(value) === 1) return value;
      throw new RuntimeFailure(`%c expected 1-sized string got: ${length(value)}`);
    }
    throw new RuntimeFailure(`%c expected number / string, got: ${typeName(value)}`);
  }
  if (typeof value !== "number") throw new RuntimeFailure(`Format required number at ${at}, got ${typeName(value)}`);
  switch (code.ctype) {
    case "d":
      return renderInt(value <= -1, Math.floor(Math.abs(value)), zp, iprec, flags.blank, flags.plus, 10, "");
    case "o":
      return renderInt(value <= -1, Math.floor(Math.abs(value)), zp, iprec, flags.blank, flags.plus, 8, flags.alt ? "0" : "");
    case "x":
      return renderHex(Math.floor(value), zp, iprec, flags.blank, flags.plus, flags.alt, code.caps);
    case "f":
      return renderFloatDec(value, zp, flags.blank, flags.plus, flags.alt, true, fpprec);
    case "e":
      return renderFloatSci(value, zp, flags.blank, flags.plus, flags.alt, true, code.caps, fpprec);
    default: {
      const exponent = value !== 0 ? Math.floor(goLog(Math.abs(value)) / goLog(10)) : 0;
      if (exponent < -4 || exponent >= fpprec) {
        return renderFloatSci(value, zp, flags.blank, flags.plus, flags.alt, flags.alt, code.caps, fpprec - 1);
      }
      return renderFloatDec(value, zp, flags.blank, flags.plus, flags.alt, flags.alt, fpprec - Math.max(1, exponent + 1));
    }
  }
}

/** A width or precision taken from the values: std.jsonnet uses it directly, so a non-number fails its arithmetic. */
export const asNumber = (value: Value): number => {
  if (typeof value !== "number") throw new RuntimeFailure(`Unexpected type ${typeName(value)}, expected number`);
  return value;
};
