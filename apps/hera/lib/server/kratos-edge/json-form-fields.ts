import { scanGoJson } from "@olympus/server-kit/go-json";
import { addNestedFields } from "./nested-fields";
import type { Fields } from "./submission";

/**
 * A JSON body's fields as Kratos reads them: every self-service strategy
 * decodes JSON with ory/x decoderx decodeJSONForm (HTTPDecoderJSONFollowsFormFormat),
 * which takes each top-level member as one value, gjson's Result.String of it:
 * a string as sent, `true`/`false`, "" for null, an integer literal's digits
 * (else strconv.FormatFloat(n, 'f', -1)), and an array's or object's raw JSON
 * text. So `{"screen":["previous"]}` is the screen `["previous"]` (no going
 * back) and `{"password":{"a":1}}` is the password `{"a":1}` (checked).
 * Inside a top-level object the edge also reads each nested value under its
 * dotted name (`traits.email`): Kratos hands the object to its schema path
 * (`traits`), and every address in it is charged. A dotted name never stands
 * for a top-level field. Undefined when the body's first value is not valid
 * JSON.
 */
export function jsonFormFields(body: string): Fields | undefined {
  if (body.trim() === "") return new Map();
  const text = firstJsonValue(body);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as unknown;
  const fields: Fields = new Map();
  // Kratos answers anything but an object with 400 before a strategy reads it.
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return fields;
  const add = (name: string, value: string) => fields.set(name, [...(fields.get(name) ?? []), value]);
  // url.Values.Set: a member named twice is read as its last value.
  const members = new Map(topLevelMembers(text).map(([name, raw]) => [name, raw]));
  for (const [name, raw] of members) if (raw.startsWith("{")) addNestedFields(JSON.parse(raw) as unknown, name, add);
  for (const [name, raw] of members) add(name, gjsonString(raw));
  return fields;
}

/** gjson Result.String of one value's raw text (gjson.go). */
/**
 * The text of a body's first JSON value, as decodeJSONForm reads it with
 * json.NewDecoder(r.Body).Decode: what follows that value is never read, so
 * `{"method":"profile",…}x` is a profile save in Kratos. Undefined when the
 * first value is not valid JSON (Go's scanner, decoder mode, decides).
 */
function firstJsonValue(body: string): string | undefined {
  try {
    JSON.parse(body);
    return body;
  } catch {
    // Not one JSON text: perhaps a value followed by more.
  }
  const bytes = Buffer.from(body, "utf8");
  let end: number;
  try {
    end = scanGoJson(bytes, "decoder");
  } catch {
    return undefined;
  }
  const first = bytes.subarray(0, end).toString("utf8");
  try {
    JSON.parse(first);
    return first;
  } catch {
    return undefined;
  }
}

function gjsonString(raw: string): string {
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (raw === "true" || raw === "false") return raw;
  if (raw === "null") return "";
  if (raw.startsWith("{") || raw.startsWith("[")) return raw;
  return /^-?[0-9]+$/.test(raw) ? raw : goFormatFloatF(Number(raw));
}

/** strconv.FormatFloat(n, 'f', -1, 64): the shortest digits (as JavaScript finds them), never an exponent. */
function goFormatFloatF(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "+Inf" : "-Inf";
  if (Object.is(n, -0)) return "-0";
  const text = String(n);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign = "", lead = "", fraction = "", power = "0"] = exponent;
  const shift = Number(power);
  const digits = lead + fraction;
  return shift < 0 ? `${sign}0.${"0".repeat(-shift - 1)}${digits}` : `${sign}${digits}${"0".repeat(shift - fraction.length)}`;
}

const isJsonSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

function skipSpace(text: string, at: number): number {
  while (isJsonSpace(text[at])) at++;
  return at;
}

function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at);
  if (first === "{" || first === "[") {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = stringEnd(text, i) - 1;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) return i + 1;
    }
    return text.length;
  }
  let end = at;
  while (end < text.length && !isJsonSpace(text[end]) && text[end] !== "," && text[end] !== "}" && text[end] !== "]") end++;
  return end;
}

/**
 * A JSON object's text without its top-level members named `name`, every
 * other member's key and value kept as sent (no re-serialisation: a number
 * past 2^53 keeps its digits, a key its escapes). Undefined when the text is
 * not a JSON object or has no such member.
 */
export function jsonWithoutMember(body: string, name: string): string | undefined {
  // Kratos reads the first value alone: whatever follows it is dropped with the member.
  const text = firstJsonValue(body);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const members = topLevelMembers(text);
  const kept = members.filter(([member]) => member !== name);
  if (kept.length === members.length) return undefined;
  return `{${kept.map(([, raw, key]) => `${key}:${raw}`).join(",")}}`;
}

/** The top-level object's members in order: name, value's raw text (gjson ForEach), key's raw text; `text` is valid JSON. */
function topLevelMembers(text: string): [string, string, string][] {
  const members: [string, string, string][] = [];
  let at = skipSpace(text, skipSpace(text, 0) + 1);
  if (text[at] === "}") return members;
  for (;;) {
    at = skipSpace(text, at);
    const keyStart = at;
    const keyEnd = stringEnd(text, at);
    const name = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, at);
    members.push([name, text.slice(at, end), text.slice(keyStart, keyEnd)]);
    at = skipSpace(text, end);
    if (text[at] !== ",") return members;
    at++;
  }
}
