import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { kratosClientIp } from "./client-ip";
import { parseCookies } from "./cookies";
import { KratosError } from "./errors";

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
  private requestIdCache: string | undefined;
  private cookieCache: Map<string, string> | undefined;
  private clientIpCache: string | undefined;
  private readonly pendingCookies: string[] = [];

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

  /** The query string with its `?`, or "" — without parsing the URL when the target has none. */
  get search(): string {
    return (this.req.url ?? "").includes("?") ? this.url.search : "";
  }

  /** Identifies the request in error bodies; drawn only when an error needs it. */
  get requestId(): string {
    this.requestIdCache ??= randomUUID();
    return this.requestIdCache;
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
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

  /** True when the client negotiates JSON (Accept) or sent a JSON body, like Kratos' x.IsJSONRequest. */
  get isJsonRequest(): boolean {
    return this.acceptsJson || (this.header("content-type") ?? "").toLowerCase().startsWith("application/json");
  }

  /** Accept negotiation between text/html (default) and application/json. */
  get acceptsJson(): boolean {
    const accept = this.header("accept");
    if (!accept) return false;
    let html = -1;
    let json = -1;
    accept.split(",").forEach((entry, index) => {
      const [type = "", ...params] = entry.trim().toLowerCase().split(";");
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      // Earlier entries win ties, as in Go's httputil negotiation.
      const score = q - index * 1e-6;
      if (type === "application/json") json = Math.max(json, score);
      else if (type === "text/html") html = Math.max(html, score);
    });
    return json >= 0 && json > html;
  }

  get responded(): boolean {
    return this.res.headersSent || this.res.writableEnded;
  }

  private flushCookies(): void {
    if (this.pendingCookies.length > 0) this.res.setHeader("Set-Cookie", this.pendingCookies);
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = JSON.stringify(body);
    this.flushCookies();
    this.res.writeHead(status, {
      ...headers,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(payload),
    });
    this.res.end(payload);
  }

  redirect(location: string, status = 303): void {
    this.flushCookies();
    this.res.writeHead(status, { Location: location, "Content-Length": 0 });
    this.res.end();
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

  error(err: KratosError): void {
    this.json(err.code, err.toJSON(this.requestId));
  }
}
