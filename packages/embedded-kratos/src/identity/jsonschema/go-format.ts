import { goQuote } from "@olympus/server-kit/go-strconv";
import { goBytes, goPathEscape } from "@olympus/server-kit/go-url";
import { numberText } from "./json-number";

/** Go's fmt renderings of the decoded JSON values ory/jsonschema puts in its messages. */

/**
 * %#v of a value decoded with json.Decoder.UseNumber, as compiler.go builds
 * enum and const messages: a json.Number is a string type, so numbers print
 * as their quoted text; nil prints `<nil>`.
 */
export function goSyntaxValue(value: unknown): string {
  if (typeof value === "string") return goQuote(value);
  const text = numberText(value);
  if (text !== undefined) return goQuote(text);
  if (typeof value === "boolean") return String(value);
  return "<nil>";
}

/**
 * %v of a *big.Float (the schema's limits): the shortest 'g' form, with an
 * exponent from 1e+06 up or below 1e-04 (math/big ftoa.go).
 */
export function goBigFloat(value: number): string {
  if (value === 0) return "0";
  const [mantissa = "0", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const exponent = Number(exponentText);
  const digits = mantissa.replace(".", "");
  const sign = value < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    const m = digits.length > 1 ? `${digits[0] ?? ""}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, "0");
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${e}`;
  }
  return `${sign}${Math.abs(value).toString()}`;
}

/** ory/jsonschema's `escape`: a JSON pointer token, path-escaped (url.PathEscape). */
export const escapeToken = (token: string): string => goPathEscape(goBytes(token.replace(/~/g, "~0").replace(/\//g, "~1")));
