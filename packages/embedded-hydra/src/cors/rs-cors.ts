import type { IncomingMessage } from "node:http";

/** serve.public.cors / serve.admin.cors as ory/x configx CORS reads them (driver/config/serve.go defaults). */
export interface CorsOptions {
  enabled: boolean;
  allowed_origins: string[];
  allowed_methods: string[];
  allowed_headers: string[];
  exposed_headers: string[];
  allow_credentials: boolean;
  max_age: number;
}

/**
 * A response's header lines by lower-case name, as Go's http.Header keeps
 * them: rs/cors appends `Vary` once per middleware, so it may repeat.
 */
export type HeaderLines = Map<string, string[]>;

const PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/** Go's http.CanonicalHeaderKey for the names rs/cors lists in Access-Control-Expose-Headers. */
function canonicalHeaderKey(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return name;
  return name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join("-");
}

function append(headers: HeaderLines, name: string, value: string): void {
  headers.set(name, [...(headers.get(name) ?? []), value]);
}

/**
 * github.com/rs/cors v1.11.1 (cors.go New, handlePreflight,
 * handleActualRequest) with OptionsPassthrough off: the CORS middleware
 * Hydra puts in front of each port (cmd/server/handler.go) and around the
 * OAuth2 routes (x/oauth2cors).
 */
export class RsCors {
  private readonly allowAll: boolean;
  private readonly exact: string[] = [];
  private readonly wildcards: { prefix: string; suffix: string }[] = [];
  /** Allowed request headers, lower-case and sorted (internal.SortedSet), or "*". */
  private readonly headerPositions = new Map<string, number>();
  private readonly headersAll: boolean;
  private readonly maxHeaderLength: number;
  private readonly methods: string[];
  private readonly exposed: string | undefined;
  private readonly maxAge: string | undefined;

  /**
   * @param echoOrigin rs/cors with an AllowOriginRequestFunc: the request's
   *   origin is echoed even when every origin is allowed.
   */
  constructor(
    private readonly options: CorsOptions,
    echoOrigin = false,
  ) {
    let all = !echoOrigin && options.allowed_origins.length === 0;
    if (!echoOrigin) {
      for (const raw of options.allowed_origins) {
        const origin = raw.toLowerCase();
        if (origin === "*") {
          all = true;
          break;
        }
        const star = origin.indexOf("*");
        if (star >= 0) this.wildcards.push({ prefix: origin.slice(0, star), suffix: origin.slice(star + 1) });
        else this.exact.push(origin);
      }
    }
    this.allowAll = all;
    const headers = options.allowed_headers.length === 0 ? ["accept", "content-type", "x-requested-with"] : options.allowed_headers;
    this.headersAll = options.allowed_headers.includes("*");
    const sorted = [...new Set(headers.map((name) => name.toLowerCase()))].sort();
    sorted.forEach((name, index) => this.headerPositions.set(name, index));
    this.maxHeaderLength = Math.max(0, ...sorted.map((name) => name.length));
    this.methods = options.allowed_methods.length === 0 ? ["GET", "POST", "HEAD"] : options.allowed_methods;
    this.exposed = options.exposed_headers.length > 0 ? options.exposed_headers.map(canonicalHeaderKey).join(", ") : undefined;
    this.maxAge = options.max_age > 0 ? String(options.max_age) : options.max_age < 0 ? "0" : undefined;
  }

  /** rs/cors isOriginAllowed from its lists: `*`, an exact origin or one `*` wildcard, case-insensitively. */
  originAllowed(origin: string): boolean {
    if (this.allowAll) return true;
    const lower = origin.toLowerCase();
    if (this.exact.includes(lower)) return true;
    return this.wildcards.some(
      ({ prefix, suffix }) => lower.length >= prefix.length + suffix.length && lower.startsWith(prefix) && lower.endsWith(suffix),
    );
  }

  /** The middleware answers this request itself (rs/cors Handler): OPTIONS with Access-Control-Request-Method. */
  static isPreflight(req: IncomingMessage): boolean {
    const method = req.headers["access-control-request-method"];
    return req.method === "OPTIONS" && typeof method === "string" && method !== "";
  }

  /** handlePreflight: the headers of the 204 the middleware answers. */
  preflight(req: IncomingMessage, headers: HeaderLines, allowed = this.originAllowed(req.headers.origin ?? "")): void {
    append(headers, "vary", PREFLIGHT_VARY);
    const origin = req.headers.origin ?? "";
    if (origin === "" || !allowed) return;
    const method = String(req.headers["access-control-request-method"] ?? "");
    if (!this.methodAllowed(method)) return;
    const requested = requestHeaderLines(req);
    if (requested !== undefined && !this.headersAll && !this.headersAccepted(requested)) return;
    headers.set("access-control-allow-origin", [this.allowAll ? "*" : origin]);
    headers.set("access-control-allow-methods", [method]);
    if (requested !== undefined && requested[0]) headers.set("access-control-allow-headers", requested);
    if (this.options.allow_credentials) headers.set("access-control-allow-credentials", ["true"]);
    if (this.maxAge !== undefined) headers.set("access-control-max-age", [this.maxAge]);
  }

  /** handleActualRequest: `Vary: Origin`, and for an allowed origin and method the CORS headers. */
  actual(req: IncomingMessage, headers: HeaderLines, allowed = this.originAllowed(req.headers.origin ?? "")): void {
    append(headers, "vary", "Origin");
    const origin = req.headers.origin ?? "";
    if (origin === "" || !allowed || !this.methodAllowed(req.method ?? "")) return;
    this.allow(origin, headers);
  }

  /** The headers of an allowed actual request (also what a per-client decision taken later adds). */
  allow(origin: string, headers: HeaderLines): void {
    headers.set("access-control-allow-origin", [this.allowAll ? "*" : origin]);
    if (this.exposed !== undefined) headers.set("access-control-expose-headers", [this.exposed]);
    if (this.options.allow_credentials) headers.set("access-control-allow-credentials", ["true"]);
  }

  /** isMethodAllowed: OPTIONS always, otherwise the exact (case-sensitive) method. */
  methodAllowed(method: string): boolean {
    if (this.methods.length === 0) return false;
    return method === "OPTIONS" || this.methods.includes(method);
  }

  /**
   * internal.SortedSet Accepts: every name allowed, lower-case, in sorted
   * order without repeats, at most one blank either side of a name and 16
   * empty elements.
   */
  private headersAccepted(lines: string[]): boolean {
    const maxLength = 1 + this.maxHeaderLength + 1 + 1;
    let last = -1;
    let empty = 0;
    for (const line of lines) {
      let rest = line;
      for (;;) {
        const end = Math.min(rest.length, maxLength);
        const comma = rest.slice(0, end).indexOf(",");
        const element = comma >= 0 ? rest.slice(0, comma) : rest;
        rest = comma >= 0 ? rest.slice(comma + 1) : "";
        const name = trimOws(element);
        if (name === undefined) return false;
        if (name === "") {
          empty += 1;
          if (empty > 16) return false;
        } else {
          const position = this.headerPositions.get(name);
          if (position === undefined || position <= last) return false;
          last = position;
        }
        if (comma < 0) break;
      }
    }
    return true;
  }
}

/** At most one space or tab trimmed from each side (rs/cors trimOWS with n = 1); more is a refusal. */
function trimOws(value: string): string | undefined {
  const isOws = (char: string) => char === " " || char === "\t";
  let start = 0;
  let end = value.length;
  while (end > start && isOws(value.charAt(end - 1))) end -= 1;
  while (start < end && isOws(value.charAt(start))) start += 1;
  if (value.length - end > 1 || start > 1) return undefined;
  return value.slice(start, end);
}

/** The Access-Control-Request-Headers lines as sent (Go's r.Header[...]), or undefined without any. */
function requestHeaderLines(req: IncomingMessage): string[] | undefined {
  const lines: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === "access-control-request-headers") lines.push(req.rawHeaders[i + 1] ?? "");
  }
  return lines.length > 0 ? lines : undefined;
}

/** Writes the header lines onto the response (repeated names as repeated lines). */
export function applyHeaderLines(res: { setHeader(name: string, value: string | string[]): unknown }, headers: HeaderLines): void {
  for (const [name, values] of headers) res.setHeader(name, values.length === 1 ? (values[0] ?? "") : values);
}
