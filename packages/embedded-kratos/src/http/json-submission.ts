import {
  GoSyntaxError,
  GoValueTooDeepError,
  rawNodeText,
  rawNodeValue,
  readGoNode,
  scanGoJson,
  type GoNode,
} from "@olympus/server-kit/go-json";
import { KratosError } from "./errors";
import { objectMemberSpans } from "./json-spans";
import { recordSubmittedText } from "./submitted-json";

/**
 * A self-service JSON body as oryx/decoderx decodeJSONForm reads it (every
 * strategy decodes with HTTPDecoderJSONFollowsFormFormat): json.Decoder
 * reads the first value (Go's errors, whatever follows unread), which must
 * be an object, and each top-level field becomes a form value — gjson's
 * Result.String of it (a string's text, a number as written when it is
 * all digits, else strconv.FormatFloat 'f'; `true`/`false`; nothing for
 * `null`; an object's or array's Raw, its text as the body wrote it) — before the method schema types it. Fields the schemas declare
 * as objects (`traits`, `transient_payload`, `upstream_parameters`) are set
 * raw (sjson.SetRawBytes): an object keeps its text for the strategy's
 * json.RawMessage, recorded with submitted-json.ts.
 */

export type JsonSubmission = Record<string, unknown>;

/** The top-level fields the method schemas type as objects (selfservice/strategy/*\/.schema). */
const RAW_FIELDS = new Set(["traits", "transient_payload", "upstream_parameters"]);

/** herodot.ErrBadRequest with decodeJSONForm's reasons; `message` is Go's error where decoderx adds one (WithError). */
const badRequest = (reason: string, message?: string) => new KratosError(400, { reason, message });

/** gjson Type.String of the first value, as decodeJSONForm names what is not an object. */
function gjsonTypeName(node: GoNode): string {
  switch (node.t) {
    case "null":
      return "Null";
    case "bool":
      return node.v ? "True" : "False";
    case "number":
      return "Number";
    case "string":
      return "String";
    default:
      return "JSON";
  }
}

/** strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that read back as `value`, never an exponent. */
export function goFormatFloatF(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  // toExponential without digits gives the shortest round-tripping digits, as Go's -1 precision does.
  const [mantissa = "0", exponent = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const point = Number(exponent) + 1;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * gjson Result.String of a top-level value, or undefined for `null` (an
 * empty form value, which decoderx skips). `raw`: the value's text as the
 * body wrote it.
 */
function formValue(node: GoNode, raw: string): string | undefined {
  switch (node.t) {
    case "null":
      return undefined;
    case "bool":
      return node.v ? "true" : "false";
    case "number":
      // Go reads the literal with strconv.ParseFloat; gjson keeps the text only when it is all digits.
      return /^-?\d+$/.test(node.raw) ? node.raw : goFormatFloatF(Number(node.raw));
    case "string":
      // The Go string: bytes that are not UTF-8 read as U+FFFD once the form value is decoded into a string field.
      return node.v;
    default:
      // gjson's Raw of an object or array: the body's text, spacing and all.
      return raw;
  }
}

/** A raw field's value, an object or array with the text it was written as recorded. */
function keptValue(node: GoNode): unknown {
  const value = rawNodeValue(node);
  if (typeof value === "object" && value !== null) recordSubmittedText(value, rawNodeText(node), rawNodeValue(node, true));
  return value;
}

/** Whether `key` is a field decodeURLValues sets raw (the method schemas type it as an object). */
export const isRawField = (key: string): boolean => RAW_FIELDS.has(key);

/**
 * A raw field given as text (a JSON string, a form value): decodeURLValues
 * sets the text itself into the document (sjson.SetRawBytes), so text that
 * is JSON is that JSON value (`"5"` is the number 5, which the schema's
 * `type` then refuses) and empty text leaves the field out. Text that is no
 * JSON makes Go's json.Unmarshal of the document fail (a 500), and text
 * that is more than one value would splice fields into it: both are a 400
 * here.
 */
export function rawFieldFromText(key: string, text: string): unknown {
  if (text === "") return undefined;
  const bytes = Buffer.from(text, "utf8");
  try {
    return keptValue(readGoNode(bytes, scanGoJson(bytes, "unmarshal")));
  } catch (error) {
    if (error instanceof GoSyntaxError || error instanceof GoValueTooDeepError)
      throw badRequest(`Unable to decode the "${key}" field: its text is not one JSON value.`, error.message);
    throw error;
  }
}

/** The decoded value of one top-level field. */
function fieldValue(key: string, node: GoNode, raw: string): unknown {
  if (!RAW_FIELDS.has(key)) return formValue(node, raw);
  if (node.t === "null") return undefined;
  // gjson's String of a string is its text, which decodeURLValues sets raw.
  if (node.t === "string") return rawFieldFromText(key, node.v);
  return keptValue(node);
}

/** Decodes a self-service JSON body (its bytes; empty bodies are the caller's). Throws KratosError 400 for what decoderx refuses. */
export function decodeJsonSubmission(bytes: Uint8Array): JsonSubmission {
  let root: GoNode;
  try {
    root = readGoNode(bytes, scanGoJson(bytes, "decoder"));
  } catch (error) {
    if (error instanceof GoSyntaxError) throw badRequest("Unable to decode form as JSON.", error.message);
    if (error instanceof GoValueTooDeepError) throw badRequest("The request body is nested too deeply.");
    throw error;
  }
  if (root.t !== "object") throw badRequest(`Expected JSON sent in request body to be an object but got: ${gjsonTypeName(root)}`);
  const out: JsonSubmission = {};
  const spans = objectMemberSpans(bytes);
  for (const [index, [key, node]] of root.entries.entries()) {
    const [start, end] = spans[index] ?? [0, 0];
    const value = fieldValue(key.v, node, Buffer.from(bytes.subarray(start, end)).toString("utf8"));
    // url.Values.Set: a repeated field keeps its last value; `null` leaves the field out.
    if (value === undefined) delete out[key.v];
    // Own data properties, so a `__proto__` field is a field like any other.
    else Object.defineProperty(out, key.v, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
