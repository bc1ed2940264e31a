/** The flow request a hook is asked from, as its template context shows it (every hook template shares these fields). */
export interface HookRequestSource {
  method: string;
  /** Raw request target (path and query). */
  target: string;
  /** Header lines as received (lower-case names), Node's `headersDistinct`. */
  headers: Record<string, string[] | undefined>;
}

/** The request fields of web_hook.go's templateContext: headers, method, URL and cookies of the flow's request. */
export function hookRequestContext(request: HookRequestSource): {
  request_headers: Record<string, string[]>;
  request_method: string;
  request_url: string;
  request_cookies: Record<string, string>;
} {
  return {
    request_headers: goHeaders(request.headers),
    request_method: request.method,
    request_url: requestUrl(request),
    request_cookies: goCookies(request.headers.cookie ?? []),
  };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** textproto.CanonicalMIMEHeaderKey: "x-forwarded-for" → "X-Forwarded-For" (names with other bytes stay as they are). */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** http.Header of a Go server request: canonical names, one value per header line; Host is not a header there. */
export function goHeaders(headers: Record<string, string[] | undefined>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name === "host" || !values) continue;
    const key = canonicalHeaderKey(name);
    out[key] = [...(out[key] ?? []), ...values];
  }
  return out;
}

/** x.RequestURL: the request's own URL, host from X-Forwarded-Host or Host, scheme from X-Forwarded-Proto or the connection. */
function requestUrl(request: HookRequestSource): string {
  const host = request.headers["x-forwarded-host"]?.[0] || request.headers.host?.[0] || "";
  const scheme = request.headers["x-forwarded-proto"]?.[0] || "http";
  return `${scheme}://${host}${request.target}`;
}

/** A cookie value byte net/http keeps (validCookieValueByte). */
const COOKIE_VALUE = /^[\x20\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** http.Request.Cookies as a map (web_hook.go cookies): later cookies of the same name win, values are not decoded. */
export function goCookies(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    for (const raw of line.split(";")) {
      const part = raw.trim();
      if (part === "") continue;
      const eq = part.indexOf("=");
      const name = (eq === -1 ? part : part.slice(0, eq)).trim();
      let value = eq === -1 ? "" : part.slice(eq + 1);
      if (!TOKEN.test(name)) continue;
      if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!COOKIE_VALUE.test(value)) continue;
      out[name] = value;
    }
  }
  return out;
}
