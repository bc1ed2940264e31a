import { randomBytes, timingSafeEqual } from "node:crypto";
import type { KratosConfig } from "../config/load";
import type { HttpContext } from "./context";
import { cookieValues, serializeCookie } from "./cookies";

const TOKEN_BYTES = 32;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Double-submit CSRF like Kratos' nosurf: the cookie holds a raw random
 * token, forms carry a per-flow masked copy (pad || token XOR pad) that
 * unmasks to the cookie value. Native (`api`) flows never use it.
 */
export class CsrfManager {
  /** Tokens issued during a request: later reads in that request see them, as nosurf keeps the new token in the request's context. */
  private readonly issued = new WeakMap<HttpContext, Buffer>();

  constructor(private readonly config: KratosConfig) {}

  get cookieName(): string {
    return this.config.csrfCookieName;
  }

  /**
   * The request's raw token, as nosurf.Token(r) holds it: one issued during
   * the request, else the browser's lone anti-CSRF cookie when well-formed.
   * nosurf's ServeHTTP sets no token from several cookies: it regenerates,
   * or on a path it ignores (the flows' submit routes) leaves none, so a
   * flow's CSRF check fails there.
   */
  rawFromRequest(ctx: HttpContext): Buffer | undefined {
    const issued = this.issued.get(ctx);
    if (issued) return issued;
    const values = cookieValues(ctx.header("cookie"), this.cookieName);
    const value = values.length === 1 ? values[0] : undefined;
    if (!value) return undefined;
    const raw = Buffer.from(value, "base64");
    return raw.length === TOKEN_BYTES ? raw : undefined;
  }

  /** Returns the request's raw token, issuing a new cookie when there is none. */
  ensure(ctx: HttpContext): Buffer {
    return this.rawFromRequest(ctx) ?? this.regenerate(ctx);
  }

  /**
   * ory/nosurf's RegenerateToken: a new raw token and its cookie, whatever the
   * request carried — once per request: a later call in the same request
   * returns the token already sent (nosurf's ctxWasSent), so a sign-up that
   * rotates for its verification flow and again for its session ends with the
   * one cookie both agree on. Kratos calls it where a browser gets a session
   * it did not have, at logout, and where a flow is opened from a mail.
   */
  regenerate(ctx: HttpContext): Buffer {
    const sent = this.issued.get(ctx);
    if (sent) return sent;
    const raw = randomBytes(TOKEN_BYTES);
    ctx.setCookie(
      serializeCookie(this.cookieName, raw.toString("base64"), {
        path: this.config.cookies.path,
        domain: this.config.cookies.domain,
        maxAgeSeconds: ONE_YEAR_SECONDS,
        httpOnly: true,
        secure: this.config.secureCookies,
        // nosurfx NosurfBaseCookieHandler: a cookie that is not Secure is always SameSite=Lax.
        sameSite: this.config.secureCookies ? this.config.cookies.same_site : "Lax",
        // http.SetCookie writes a base64 value as it is (`+`, `/` and `=` are cookie-octets).
        rawValue: true,
      }),
    );
    this.issued.set(ctx, raw);
    return raw;
  }

  mask(raw: Buffer): string {
    const pad = randomBytes(TOKEN_BYTES);
    const out = Buffer.alloc(TOKEN_BYTES * 2);
    pad.copy(out, 0);
    for (let i = 0; i < TOKEN_BYTES; i++) out[TOKEN_BYTES + i] = (raw[i] ?? 0) ^ (pad[i] ?? 0);
    return out.toString("base64");
  }

  /** True when `masked` unmasks to the raw cookie token. */
  verify(masked: string | undefined, raw: Buffer | undefined): boolean {
    if (!masked || !raw) return false;
    const buf = Buffer.from(masked, "base64");
    if (buf.length !== TOKEN_BYTES * 2) return false;
    const unmasked = Buffer.alloc(TOKEN_BYTES);
    for (let i = 0; i < TOKEN_BYTES; i++) unmasked[i] = (buf[i] ?? 0) ^ (buf[TOKEN_BYTES + i] ?? 0);
    return timingSafeEqual(unmasked, raw);
  }
}
