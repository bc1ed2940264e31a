import { goBytes, goEscape, utf8Text } from "./escape";
import { goParseQuery, goValuesEncode } from "./query";
import { goEscapedFragment, goEscapedPath, goUrlParse, type GoUrl, type GoUserinfo } from "./parse";

/**
 * Go's URL.String (net/url url.go URL.String, Userinfo.String): the scheme,
 * `//`, the userinfo and host re-escaped, EscapedPath, the raw query as it
 * is, EscapedFragment. Its escaping has not changed since Go 1.19.
 */

/** Userinfo.String: user name and password each escaped in the userinfo mode. */
const userinfoString = (user: GoUserinfo): string =>
  goEscape(user.username, "userPassword") + (user.password === undefined ? "" : `:${goEscape(user.password, "userPassword")}`);

/** URL.String of a URL (a byte string). */
export function goUrlStringBytes(url: GoUrl): string {
  let out = url.scheme === "" ? "" : `${url.scheme}:`;
  if (url.opaque !== "") out += url.opaque;
  else {
    if ((url.scheme !== "" || url.host !== "" || url.user !== undefined) && !(url.omitHost && url.host === "" && url.user === undefined)) {
      if (url.host !== "" || url.path !== "" || url.user !== undefined) out += "//";
      if (url.user !== undefined) out += `${userinfoString(url.user)}@`;
      out += goEscape(url.host, "host");
    }
    const path = goEscapedPath(url);
    if (path !== "" && !path.startsWith("/") && url.host !== "") out += "/";
    // RFC 3986 §4.2: a relative path whose first segment holds a colon is written after "./".
    if (out === "" && (path.split("/", 1)[0] ?? "").includes(":")) out += "./";
    out += path;
  }
  if (url.forceQuery || url.rawQuery !== "") out += `?${url.rawQuery}`;
  if (url.fragment !== "") out += `#${goEscapedFragment(url)}`;
  return out;
}

/** url.Parse(text).String() as text, or undefined when url.Parse refuses the text. */
export function goUrlString(text: string): string | undefined {
  const parsed = goUrlParse(text);
  return parsed.ok ? utf8Text(goUrlStringBytes(parsed.url)) : undefined;
}

/**
 * The String() of url.Parse(text) after its RawQuery was set to what
 * `rawQuery` makes of the one it had ("" when none); undefined when
 * url.Parse refuses the text. Queries are taken and given as text.
 */
export function goUrlStringWithRawQuery(text: string, rawQuery: (current: string) => string): string | undefined {
  const parsed = goUrlParse(text);
  if (!parsed.ok) return undefined;
  const url = { ...parsed.url, rawQuery: goBytes(rawQuery(utf8Text(parsed.url.rawQuery))) };
  return utf8Text(goUrlStringBytes(url));
}

/**
 * ory/x urlx.SetQuery(u, params).String() for u = url.Parse(text), as both
 * servers vendor it (oryx/urlx/join.go): u.Query() (its error dropped),
 * each of `params` set (replacing the key's values), then Values.Encode as
 * the new RawQuery. Undefined when url.Parse refuses the text.
 */
export function goUrlSetQuery(text: string, params: Record<string, string>): string | undefined {
  return goUrlStringWithRawQuery(text, (rawQuery) => {
    const { values } = goParseQuery(goBytes(rawQuery));
    for (const [key, value] of Object.entries(params)) values.set(goBytes(key), [goBytes(value)]);
    return utf8Text(goValuesEncode(values));
  });
}
