import { goBytes, goParseQuery, goUrlParse, goUrlStringBytes, goValuesEncode, type GoValues } from "@olympus/server-kit/go-url";

/**
 * The Location of fosite's authorization redirects to the client, as Go
 * builds it from the redirect URI (url.Parse, then URL.String) and
 * url.Values.Encode (keys in byte order, QueryEscape): query and fragment
 * modes of authorize_error.go WriteAuthorizeError and authorize_write.go
 * WriteAuthorizeResponse. form_post is provider/fosite-form-post.ts.
 * Each Location is a byte string (one char a byte, as Go writes the
 * header): a redirect URI with characters past U+00FF keeps their UTF-8
 * bytes, which Node's writeHead sends as they are (a decoded string would
 * make it throw ERR_INVALID_CHAR).
 */
export type RedirectMode = "query" | "fragment";

/** url.Values of text parameters (byte strings), each key's values in order. */
function valuesOf(parameters: URLSearchParams): GoValues {
  const values: GoValues = new Map();
  for (const [key, value] of parameters) values.set(goBytes(key), [...(values.get(goBytes(key)) ?? []), goBytes(value)]);
  return values;
}

/**
 * fosite's response mode once the response types are known
 * (authorize_request_handler.go newAuthorizeRequest, its fallback after
 * validateResponseMode): the one asked for, else query for exactly `code`
 * and fragment for any other (implicit or hybrid) response type.
 */
export function fositeResponseMode(responseMode: string, responseType: string): string {
  if (responseMode !== "") return responseMode;
  const types = responseType.split(" ").filter(Boolean);
  return types.length === 1 && types[0] === "code" ? "query" : "fragment";
}

/**
 * WriteAuthorizeError's Location: the fragment dropped; in fragment mode
 * the error parameters encoded as the fragment; otherwise (query and the
 * default mode) the redirect URI's own query values added after them
 * (a repeated key keeps both) and the whole query encoded anew.
 * Undefined when url.Parse refuses the URI.
 */
export function fositeErrorRedirect(redirectUri: string, mode: RedirectMode, errors: URLSearchParams): string | undefined {
  const parsed = goUrlParse(redirectUri);
  if (!parsed.ok) return undefined;
  const url = { ...parsed.url, fragment: "", rawFragment: "" };
  const values = valuesOf(errors);
  if (mode === "fragment") return `${goUrlStringBytes(url)}#${goValuesEncode(values)}`;
  for (const [key, list] of goParseQuery(url.rawQuery).values) values.set(key, [...(values.get(key) ?? []), ...list]);
  return goUrlStringBytes({ ...url, rawQuery: goValuesEncode(values) });
}

/**
 * WriteAuthorizeResponse's Location: in query mode the redirect URI's
 * query with each response parameter set (replacing a value of the same
 * key), encoded anew; in fragment mode the fragment dropped and the
 * parameters encoded as the new one. Undefined when url.Parse refuses the URI.
 */
export function fositeResponseRedirect(redirectUri: string, mode: RedirectMode, parameters: URLSearchParams): string | undefined {
  const parsed = goUrlParse(redirectUri);
  if (!parsed.ok) return undefined;
  if (mode === "fragment") {
    const url = { ...parsed.url, fragment: "", rawFragment: "" };
    const encoded = goValuesEncode(valuesOf(parameters));
    return goUrlStringBytes(url) + (encoded === "" ? "" : `#${encoded}`);
  }
  const values: GoValues = goParseQuery(parsed.url.rawQuery).values;
  for (const key of new Set(parameters.keys())) values.set(goBytes(key), [goBytes(parameters.get(key) ?? "")]);
  return goUrlStringBytes({ ...parsed.url, rawQuery: goValuesEncode(values) });
}
