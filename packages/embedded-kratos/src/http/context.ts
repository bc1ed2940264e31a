import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { goQueryParams, type GoValues } from "@olympus/server-kit/go-url";
import { goRedirect, type GoRedirectStatus } from "@olympus/server-kit/http";
import { kratosClientIp } from "./client-ip";
import { parseCookies } from "./cookies";
import { KratosError } from "./errors";
import { ACCEPTS_JSON_OFFERS, IS_JSON_REQUEST_OFFERS, negotiateContentType, parseMediaType } from "./negotiate";
import { stringifyJson } from "./json-text";

/**
 * A request target whose path WHATWG URL parsing returns unchanged: slash-led
 * segments of unreserved characters only — no dot segments, percent escapes,
 * backslashes or a leading `//` that the parser would rewrite.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-]+)*\/?$/;

/** Everything a handler needs about one request, plus the response it writes to. */
export class HttpContext {
  readonly method: string;
  params: Record<string, string> = {};
  private urlCache: URL | undefined;
  private pathCache: string | undefined;
  private cookieCache: Map<string, string> | undefined;
  private clientIpCache: string | undefined;
  private queryCache: URLSearchParams | undefined;
  private readonly pendingCookies: string[] = [];
  /**
   * Go's r.PostForm and r.Form once Request.ParseForm has run on the body
   * (nosurf's token read, nosurf.ts): a later ParseForm keeps them, reads
   * nothing and returns nil, and the body it read is spent.
   */
  parsedForm: { postForm: GoValues; form: GoValues } | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The server's own base URL (used to build absolute URLs of the incoming request). */
    readonly baseUrl: string,
    /** Resolves the client address recorded on session devices; default: Kratos' own rule (client-ip.ts). */
    private readonly resolveClientIp: (req: IncomingMessage) => string = kratosClientIp,
  ) {
    this.method = (req.method ?? "GET").toUpperCase();
  }

  /** The request URL, parsed on first use: the hot paths (whoami) only need `path`. */
  get url(): URL {
    if (this.urlCache === undefined) {
      try {
        this.urlCache = new URL(this.req.url ?? "/", this.baseUrl);
      } catch {
        this.urlCache = new URL("/", this.baseUrl);
      }
    }
    return this.urlCache;
  }

  /** The URL's pathname; a plain path is taken as it is, anything else goes through the URL parser. */
  get path(): string {
    if (this.pathCache === undefined) {
      const target = this.req.url ?? "/";
      const queryAt = target.indexOf("?");
      const path = queryAt === -1 ? target : target.slice(0, queryAt);
      this.pathCache = path !== "" && PLAIN_PATH.test(path) ? path : this.url.pathname;
    }
    return this.pathCache;
  }

  /**
   * Routes the request on another path, as a middleware that edits
   * r.URL.Path does (the admin port's `/admin` prefix): handlers, links and
   * redirects see the new path, the query stays.
   */
  rewritePath(path: string): void {
    this.pathCache = path;
    this.url.pathname = path;
  }

  /** The query string with its `?`, or "" — without parsing the URL when the target has none. */
  get search(): string {
    return (this.req.url ?? "").includes("?") ? this.url.search : "";
  }

  /**
   * The `request` of error bodies: herodot (json.go defaultJSONErrorEnhancer →
   * ToDefaultError) echoes the first `X-Request-ID` header and leaves the field
   * out when there is none.
   */
  get requestId(): string | undefined {
    const value = this.req.headersDistinct["x-request-id"]?.[0];
    return value ? value : undefined;
  }

  /**
   * r.URL.Query() as Kratos' handlers read it (url.ParseQuery, server-kit
   * go-url): a pair holding `;` or a bad `%` escape is not there, so `.get`
   * answers Values.Get — the first pair Go keeps, not WHATWG's first pair.
   */
  get query(): URLSearchParams {
    this.queryCache ??= goQueryParams(this.search);
    return this.queryCache;
  }

  /** The full URL of this request on the configured public host (what Kratos records as `request_url`). */
  get requestUrl(): string {
    return new URL(`${this.url.pathname}${this.url.search}`, this.baseUrl).toString();
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  get cookies(): Map<string, string> {
    this.cookieCache ??= parseCookies(this.header("cookie"));
    return this.cookieCache;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(serialized: string): void {
    this.pendingCookies.push(serialized);
  }

  get ip(): string | undefined {
    return this.req.socket.remoteAddress;
  }

  /** The client's address as Kratos records it on session devices (client-ip.ts). */
  get clientIp(): string {
    this.clientIpCache ??= this.resolveClientIp(this.req);
    return this.clientIpCache;
  }

  /**
   * Kratos' x.IsJSONRequest (x/isjsonrequest.go): the Accept header negotiates
   * `application/json` among its four offers, or the first `Content-Type` is
   * exactly `application/json` — with parameters (`; charset=utf-8`) or other
   * casing it is not, though decoderx still parses such a body as JSON (body.ts).
   */
  get isJsonRequest(): boolean {
    return (
      negotiateContentType(this.acceptLines, IS_JSON_REQUEST_OFFERS, "text/html") === "application/json" ||
      this.header("content-type") === "application/json"
    );
  }

  /** Kratos' x.IsBrowserRequest (x/isjsonrequest.go): the Accept header negotiates `text/html` among the same four offers. */
  get isBrowserRequest(): boolean {
    return negotiateContentType(this.acceptLines, IS_JSON_REQUEST_OFFERS, "text/html") === "text/html";
  }

  /** Kratos' x.AcceptsJSON (x/http.go): negotiation between text/html (default) and application/json. */
  get acceptsJson(): boolean {
    return negotiateContentType(this.acceptLines, ACCEPTS_JSON_OFFERS, "text/html") === "application/json";
  }

  /** Whether decoderx decodes this body as JSON (Go's mime.ParseMediaType, so parameters and casing do not matter); form bodies need their traits typed. */
  get bodyIsJson(): boolean {
    return parseMediaType(this.header("content-type") ?? "") === "application/json";
  }

  /** Every `Accept` line as sent (gddo parses them one by one, so they are not joined). */
  private get acceptLines(): readonly string[] {
    return this.req.headersDistinct.accept ?? [];
  }

  get responded(): boolean {
    return this.res.headersSent || this.res.writableEnded;
  }

  private flushCookies(): void {
    if (this.pendingCookies.length > 0) this.res.setHeader("Set-Cookie", this.pendingCookies);
  }

  /**
   * herodot's JSONWriter (json.go WriteCode / WriteErrorCode): the bytes of
   * json.NewEncoder(buf).Encode(body) — Go's escaping, the JSON texts Kratos
   * keeps (json.RawMessage) written as kept, and a trailing "\n";
   * `escapeHtml: false` is herodot.UnescapedHTML.
   */
  json(status: number, body: unknown, headers: Record<string, string> = {}, options: { escapeHtml?: boolean } = {}): void {
    this.writeJson(status, body, { ...headers, "Content-Type": "application/json; charset=utf-8" }, options.escapeHtml ?? true);
  }

  private writeJson(status: number, body: unknown, headers: Record<string, string>, escapeHtml: boolean): void {
    const payload = `${stringifyJson(body, escapeHtml)}\n`;
    this.flushCookies();
    // Go's writeStatusLine names a code StatusText does not know (herodot's 499) `status code <n>`.
    if (STATUS_CODES[status] === undefined) this.res.statusMessage = `status code ${status}`;
    this.res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(payload) });
    this.res.end(payload);
  }

  /** Kratos redirects with http.Redirect everywhere (a GET gets its HTML note). */
  redirect(location: string, status: GoRedirectStatus = 303): void {
    this.flushCookies();
    goRedirect(this.req, this.res, location, status);
  }

  noContent(headers: Record<string, string> = {}): void {
    this.flushCookies();
    this.res.writeHead(204, headers);
    this.res.end();
  }

  text(status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
    this.flushCookies();
    this.res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
    this.res.end(body);
  }

  /**
   * herodot's WriteErrorCode (json.go): unlike WriteCode it sets a bare
   * `Content-Type: application/json`, no charset.
   */
  error(err: KratosError): void {
    this.writeJson(err.answerStatus, err.toJSON(this.requestId), { "Content-Type": "application/json" }, true);
  }
}
