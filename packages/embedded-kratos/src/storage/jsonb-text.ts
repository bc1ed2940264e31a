import { isRawNumber } from "../identity/jsonschema/json-number";

/**
 * The compact text Postgres' jsonb gives back for a JSON value, as Kratos
 * shows a json.RawMessage it wrote to a jsonb column and read back (its
 * Scan keeps jsonb's text, json.Marshal compacts it): object keys by their
 * UTF-8 length, then by their bytes (the last of repeated keys already won
 * in the value); numbers as numeric writes them (`1e2` is `100`, `1.50e1`
 * is `15.0`, `-0` is `0`); strings with the same escapes JSON.stringify
 * writes. No HTML escaping: the answer's writer adds it (http/json-text.ts).
 * Numbers may be JSON.rawJSON values (their literal) or plain numbers.
 */
export function jsonbText(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return numericText(JSON.stringify(value));
  if (isRawNumber(value)) return numericText(value.rawJSON);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(",")}]`;
  if (typeof value === "object") {
    // Each key's bytes once, not per comparison: an answer may carry many keys.
    const entries = Object.entries(value).map(([key, item]: [string, unknown]) => ({ key, bytes: Buffer.from(key, "utf8"), item }));
    entries.sort((a, b) => compareJsonbKeys(a.bytes, b.bytes));
    return `{${entries.map(({ key, item }) => `${JSON.stringify(key)}:${jsonbText(item)}`).join(",")}}`;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

/** jsonb's key order (lengthCompareJsonbString): shorter UTF-8 first, then bytewise. */
function compareJsonbKeys(a: Buffer, b: Buffer): number {
  return a.length - b.length || Buffer.compare(a, b);
}

const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Postgres' exponent bound for numeric input (NUMERIC_MAX_PRECISION): past
 * it jsonb refuses the value, so the text is left as is (the store fails, as
 * Kratos' does).
 */
const MAX_EXPONENT = 1000;

/**
 * A JSON number literal as numeric_in reads it and numeric_out writes it:
 * plain decimal notation, as many fraction digits as the literal had less
 * its exponent (never below zero), no leading zeros, and no sign on zero.
 */
function numericText(literal: string): string {
  const match = JSON_NUMBER.exec(literal);
  if (!match) return literal;
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return literal;
  const digits = whole + fraction;
  const scale = Math.max(0, fraction.length - exponent);
  const point = whole.length + exponent;
  let integerPart: string;
  let fractionPart: string;
  if (point <= 0) {
    integerPart = "0";
    fractionPart = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    integerPart = digits + "0".repeat(point - digits.length);
    fractionPart = "";
  } else {
    integerPart = digits.slice(0, point);
    fractionPart = digits.slice(point);
  }
  integerPart = integerPart.replace(/^0+(?=\d)/, "");
  fractionPart = fractionPart.padEnd(scale, "0").slice(0, scale);
  const zero = /^0*$/.test(digits);
  return `${zero ? "" : sign}${integerPart}${scale > 0 ? `.${fractionPart}` : ""}`;
}
