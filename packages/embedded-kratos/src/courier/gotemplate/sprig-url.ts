import { goBytes, goEscape, goUrlHostname, goUrlParse, goUrlStringBytes, type GoUrl, utf8Text } from "@olympus/server-kit/go-url";
import { GoCallError } from "./evaluator";
import type { GoMap } from "./values";

/** sprig url.go urlParse: url.Parse's parts as a dict of strings; a URL Go refuses is a panic with its error. */
export function urlParse(text: string): GoMap {
  const parsed = goUrlParse(text);
  if (!parsed.ok) throw new GoCallError(`unable to parse url: ${parsed.error}`);
  const url = parsed.url;
  const user = url.user;
  // Userinfo.String: name and password each escaped again.
  const userinfo = user
    ? goEscape(user.username, "userPassword") + (user.password === undefined ? "" : `:${goEscape(user.password, "userPassword")}`)
    : "";
  const parts: Record<string, string> = {
    scheme: url.scheme,
    host: url.host,
    hostname: goUrlHostname(url),
    path: url.path,
    query: url.rawQuery,
    opaque: url.opaque,
    fragment: url.fragment,
    userinfo,
  };
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, utf8Text(v)]));
}

/**
 * sprig url.go urlJoin: a url.URL built from the dict's strings, printed by
 * URL.String; the userinfo is read by parsing `proto://<userinfo>@host`.
 * `kindOf` names a non-string value's reflect.Kind for sprig's panic.
 */
export function urlJoin(dict: GoMap, kindOf: (value: unknown) => string): string {
  const part = (key: string): string => {
    if (!Object.hasOwn(dict, key)) return "";
    const value = dict[key];
    // reflect.TypeOf(nil).Kind(): a nil Type's method.
    if (value === null || value === undefined) throw new GoCallError("runtime error: invalid memory address or nil pointer dereference");
    if (typeof value !== "string") throw new GoCallError(`unable to parse ${key} key, must be of type string, but ${kindOf(value)} found`);
    return goBytes(value);
  };
  const url: GoUrl = {
    scheme: part("scheme"),
    host: part("host"),
    path: part("path"),
    rawQuery: part("query"),
    opaque: part("opaque"),
    fragment: part("fragment"),
    user: undefined,
    rawPath: "",
    omitHost: false,
    forceQuery: false,
    rawFragment: "",
  };
  const userinfo = part("userinfo");
  if (userinfo !== "") {
    const parsed = goUrlParse(utf8Text(`proto://${userinfo}@host`));
    if (!parsed.ok) throw new GoCallError(`unable to parse userinfo in dict: ${parsed.error}`);
    url.user = parsed.url.user;
  }
  return utf8Text(goUrlStringBytes(url));
}
