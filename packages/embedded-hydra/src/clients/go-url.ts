/**
 * The parts of Go's net/url parsing Hydra's client validation depends on:
 * url.ParseRequestURI (an absolute URI or an absolute path; no fragment
 * handling) and url.Parse (lenient), returning undefined where Go returns
 * an error.
 *
 * Why this is not server-kit's goUrlParse (@olympus/server-kit/go-url):
 * that module has no ParseRequestURI mode, and its answers differ from
 * these in edge cases the client validator's tests do not pin, so swapping
 * would change what client registration accepts. This parser decodes the
 * path with decodeURIComponent (so `https://a/%ff`, which Go accepts, is
 * refused here), does not check the userinfo (Go refuses `https://u ser@h/`)
 * and splits host and port itself (url.Hostname/Port). Moving the callers
 * (clients/validator.ts, provider/pairwise.ts) onto server-kit means adding
 * ParseRequestURI there and a test for each of those cases first.
 */
export interface GoUrl {
  scheme: string;
  /** The user-info part of the authority, if any. */
  user: string;
  host: string;
  hostname: string;
  port: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

function validEscapes(text: string): boolean {
  return !/%(?![0-9A-Fa-f]{2})/.test(text);
}

function splitAuthority(authority: string): { user: string; host: string; hostname: string; port: string } | undefined {
  const at = authority.lastIndexOf("@");
  const user = at === -1 ? "" : authority.slice(0, at);
  const host = at === -1 ? authority : authority.slice(at + 1);
  // Go refuses spaces and other characters that cannot appear in a host.
  if (/[\s<>"{}|\\^`]/.test(host)) return undefined;
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(host);
  if (bracketed) return { user, host, hostname: bracketed[1] ?? "", port: bracketed[2] ?? "" };
  const colon = host.lastIndexOf(":");
  if (colon !== -1 && /^\d*$/.test(host.slice(colon + 1)))
    return { user, host, hostname: host.slice(0, colon), port: host.slice(colon + 1) };
  if (colon !== -1 && host.indexOf(":") !== colon) return undefined;
  if (colon !== -1) return undefined;
  return { user, host, hostname: host, port: "" };
}

function parse(raw: string, requestUri: boolean): GoUrl | undefined {
  // Go refuses ASCII control characters anywhere in a URL.
  if (raw === "" || [...raw].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return undefined;
  let rest = raw;
  let fragment = "";
  if (!requestUri) {
    const hash = rest.indexOf("#");
    if (hash !== -1) {
      fragment = rest.slice(hash + 1);
      rest = rest.slice(0, hash);
    }
  }
  const schemeMatch = SCHEME.exec(rest);
  const scheme = schemeMatch?.[1] ?? "";
  if (schemeMatch) rest = rest.slice(schemeMatch[0].length);
  else if (/^[^/?]*:/.test(rest)) return undefined; // "first path segment in URL cannot contain colon"
  const question = rest.indexOf("?");
  const rawQuery = question === -1 ? "" : rest.slice(question + 1);
  rest = question === -1 ? rest : rest.slice(0, question);
  if (requestUri && !scheme && !rest.startsWith("/")) return undefined; // "invalid URI for request"
  let authority = { user: "", host: "", hostname: "", port: "" };
  if ((scheme || !requestUri || rest.startsWith("//")) && rest.startsWith("//")) {
    const end = rest.indexOf("/", 2);
    const parsed = splitAuthority(end === -1 ? rest.slice(2) : rest.slice(2, end));
    if (!parsed) return undefined;
    authority = parsed;
    rest = end === -1 ? "" : rest.slice(end);
  }
  if (!validEscapes(rest) || !validEscapes(authority.host)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  return { scheme: scheme.toLowerCase(), ...authority, path, rawQuery, fragment };
}

/** Go's url.ParseRequestURI. */
export function parseRequestUri(raw: string): GoUrl | undefined {
  return parse(raw, true);
}

/** Go's url.Parse. */
export function parseUrl(raw: string): GoUrl | undefined {
  return parse(raw, false);
}

/** Go's (*url.URL).String() for the parts the CORS origin check keeps (scheme, user, host, path). */
export function originString(url: GoUrl): string {
  return `${url.scheme ? `${url.scheme}:` : ""}${url.host || url.user ? `//${url.user ? `${url.user}@` : ""}${url.host}` : ""}${url.path}`;
}
