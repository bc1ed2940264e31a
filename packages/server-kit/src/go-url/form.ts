import { continuationBase, stitchContinuations } from "./media-param-continuation";
import { goParseQuery, type GoValues } from "./query";
import { goTrimLeftSpace, goTrimSpace } from "./unicode-space";

/**
 * Go's net/http form reading (request.go ParseForm, parsePostForm and the
 * Content-Type check of multipartReader) and the part of mime.ParseMediaType
 * (mediatype.go) they depend on. Keys and values are byte strings, as in
 * query.ts. Reading the body is left to the caller (each server has its own
 * stream handling), and so is a multipart body: only `goMultipartForm` tells
 * whether ParseMultipartForm would parse one.
 */

/** parsePostForm's limit for a body that is not already an http.MaxBytesReader: 10 MB, `http: POST too large` beyond. */
export const GO_MAX_FORM_BYTES = 10 << 20;

export interface GoMediaType {
  /** The lower-cased media type; "" when it does not parse (kept when only a parameter is bad, as Go keeps it). */
  mediaType: string;
  /** The parameters that parsed (lower-cased names; RFC 2231 `name*` and continuations stitched as Go does). */
  params: Map<string, string>;
  error: string | undefined;
}

const TSPECIALS = new Set('()<>@,;:\\"/[]?=');
const isTokenChar = (c: string) => c > " " && c < "\x7f" && !TSPECIALS.has(c);
const trimSpaceLeft = goTrimLeftSpace;
/** strings.ToLower as far as a media type can be valid: only ASCII letters (JavaScript's would fold Latin-1 bytes, such as a space's lead byte C2). */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function consumeToken(v: string): [token: string, rest: string] {
  let end = 0;
  while (end < v.length && isTokenChar(v[end] ?? "")) end++;
  return [v.slice(0, end), v.slice(end)];
}

/** consumeValue: a token or a quoted string (a backslash escapes only a tspecial; CR or LF ends it unparsed). */
function consumeValue(v: string): [value: string, rest: string] {
  if (!v.startsWith('"')) return consumeToken(v);
  let value = "";
  for (let i = 1; i < v.length; i++) {
    const c = v[i] ?? "";
    if (c === '"') return [value, v.slice(i + 1)];
    const next = v[i + 1];
    if (c === "\\" && next !== undefined && TSPECIALS.has(next)) {
      value += next;
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") return ["", v];
    value += c;
  }
  return ["", v];
}

/** consumeMediaParam: `; name = value`, or no name when it does not parse. */
function consumeMediaParam(v: string): [name: string, value: string, rest: string] {
  let rest = trimSpaceLeft(v);
  if (!rest.startsWith(";")) return ["", "", v];
  const [token, afterName] = consumeToken(trimSpaceLeft(rest.slice(1)));
  if (token === "") return ["", "", v];
  rest = trimSpaceLeft(afterName);
  if (!rest.startsWith("=")) return ["", "", v];
  rest = trimSpaceLeft(rest.slice(1));
  const [value, afterValue] = consumeValue(rest);
  if (value === "" && afterValue === rest) return ["", "", v];
  return [token.toLowerCase(), value, afterValue];
}

function mediaTypeError(mediaType: string): string | undefined {
  const [type, rest] = consumeToken(mediaType);
  if (type === "") return "mime: no media type";
  if (rest === "") return undefined;
  if (!rest.startsWith("/")) return "mime: expected slash after first token";
  const [subtype, after] = consumeToken(rest.slice(1));
  if (subtype === "") return "mime: expected token after slash";
  return after === "" ? undefined : "mime: unexpected content after media subtype";
}

/** mime.ParseMediaType of a header value (one char per byte). */
export function goParseMediaType(value: string): GoMediaType {
  const semicolon = value.indexOf(";");
  const base = semicolon === -1 ? value : value.slice(0, semicolon);
  const mediaType = goTrimSpace(asciiLower(base));
  const params = new Map<string, string>();
  const error = mediaTypeError(mediaType);
  if (error !== undefined) return { mediaType: "", params, error };
  const continuation = new Map<string, Map<string, string>>();
  let rest = value.slice(base.length);
  while (rest !== "") {
    rest = trimSpaceLeft(rest);
    if (rest === "") break;
    const [name, paramValue, after] = consumeMediaParam(rest);
    if (name === "") {
      // A trailing `;` is allowed; anything else keeps the media type with ErrInvalidMediaParameter.
      if (goTrimSpace(after) === ";") break;
      return { mediaType, params: new Map(), error: "mime: invalid media parameter" };
    }
    const gatheredUnder = continuationBase(name);
    let into = params;
    if (gatheredUnder !== undefined) {
      into = continuation.get(gatheredUnder) ?? new Map<string, string>();
      continuation.set(gatheredUnder, into);
    }
    if (into.has(name)) return { mediaType: "", params: new Map(), error: "mime: duplicate parameter name" };
    into.set(name, paramValue);
    rest = after;
  }
  stitchContinuations(params, continuation);
  return { mediaType, params, error };
}

/** parsePostForm's media type: a missing Content-Type counts as `application/octet-stream` (RFC 7231 3.1.1.5). */
const postFormMediaType = (contentType: string | undefined): GoMediaType => goParseMediaType(contentType || "application/octet-stream");

/**
 * Whether ParseForm reads the request's body: a POST, PUT or PATCH whose
 * media type is `application/x-www-form-urlencoded` (also when only a
 * parameter of the Content-Type is bad: parsePostForm reads it and
 * returns mime's error).
 */
export function goReadsFormBody(method: string | undefined, contentType: string | undefined): boolean {
  if (method !== "POST" && method !== "PUT" && method !== "PATCH") return false;
  return postFormMediaType(contentType).mediaType === "application/x-www-form-urlencoded";
}

export interface GoParsedForm {
  /** r.PostForm: the urlencoded body's values. */
  postForm: GoValues;
  /** r.Form: r.PostForm's values, then the query's appended. */
  form: GoValues;
  /** ParseForm's error: the first of mime's, the body's read or parse, the query's. */
  error: string | undefined;
}

function append(into: GoValues, from: GoValues): void {
  for (const [key, list] of from) {
    const kept = into.get(key);
    if (kept) kept.push(...list);
    else into.set(key, [...list]);
  }
}

/**
 * Request.ParseForm. `body` is what the caller read of a body that
 * goReadsFormBody says Go reads (ignored otherwise), or undefined when it
 * was larger than GO_MAX_FORM_BYTES or could not be read (then r.PostForm
 * is empty and the error `http: POST too large`). Pairs that parse are kept
 * even when another one fails, as url.ParseQuery keeps them.
 */
export function goParseForm(
  method: string | undefined,
  contentType: string | undefined,
  body: Buffer | undefined,
  rawQuery: string,
): GoParsedForm {
  const postForm: GoValues = new Map();
  let error: string | undefined;
  if (method === "POST" || method === "PUT" || method === "PATCH") {
    const media = postFormMediaType(contentType);
    error = media.error;
    if (media.mediaType === "application/x-www-form-urlencoded") {
      if (body === undefined) error ??= "http: POST too large";
      else {
        const parsed = goParseQuery(body.toString("latin1"));
        error ??= parsed.error;
        append(postForm, parsed.values);
      }
    }
  }
  const form: GoValues = new Map();
  append(form, postForm);
  const query = goParseQuery(rawQuery);
  error ??= query.error;
  append(form, query.values);
  return { postForm, form, error };
}

/**
 * multipartReader's check in ParseMultipartForm: whether the body is one
 * it parses (`multipart/form-data` with a boundary), or the error it
 * answers. Any other body is http.ErrNotMultipart, which the callers that
 * run ParseMultipartForm (fosite NewRevocationRequest, Hydra
 * introspectOAuth2Token) ignore — and with it ParseForm's own error.
 */
export function goMultipartForm(
  contentType: string | undefined,
): { kind: "not-multipart" } | { kind: "multipart"; boundary: string } | { kind: "error"; error: string } {
  if (!contentType) return { kind: "not-multipart" };
  const media = goParseMediaType(contentType);
  if (media.error !== undefined || media.mediaType !== "multipart/form-data") return { kind: "not-multipart" };
  const boundary = media.params.get("boundary");
  return boundary === undefined ? { kind: "error", error: "no multipart boundary param in Content-Type" } : { kind: "multipart", boundary };
}
