import type { KratosConfig } from "../../config/load";
import { errors } from "../../http/errors";

/**
 * Validates `return_to` like Kratos' x/redir SecureRedirectTo with the
 * allow-list its flows pass: selfservice.allowed_return_urls (scheme, host
 * — `*.` wildcards allowed — and path prefix) and the public URL's
 * `/self-service` (SecureRedirectAllowSelfServiceURLs). The default return
 * URL is not allowed by itself: it is only where no return_to leads.
 */
export class ReturnToPolicy {
  private readonly allowed: URL[];

  constructor(private readonly config: KratosConfig) {
    const list = [...config.selfservice.allowed_return_urls, `${config.publicBaseUrl}self-service`];
    this.allowed = list.filter((u) => URL.canParse(u)).map((u) => new URL(u));
  }

  /** Returns the absolute, allowed URL or throws 400 self_service_flow_return_to_forbidden. */
  check(returnTo: string): string {
    let url: URL;
    try {
      url = new URL(returnTo, this.config.selfservice.default_browser_return_url);
    } catch {
      throw errors.returnToForbidden(returnTo);
    }
    for (const allowed of this.allowed) {
      if (allowed.protocol.toLowerCase() !== url.protocol.toLowerCase()) continue;
      if (!hostMatches(allowed, url)) continue;
      if (!(url.pathname || "/").startsWith(allowed.pathname || "/")) continue;
      return url.toString();
    }
    throw errors.returnToForbidden(url.toString());
  }

  /**
   * Where a flow's stored `return_to` (kept as the client wrote it, like
   * Kratos' flows, which read it from their request URL) actually leads:
   * the absolute URL, or undefined when there is none or it is no longer
   * allowed.
   */
  target(raw: string | undefined): string | undefined {
    if (!raw) return undefined;
    try {
      return this.check(raw);
    } catch {
      return undefined;
    }
  }

  /** Validates an optional return_to, falling back to `fallback`. */
  resolve(returnTo: string | null | undefined, fallback: string): string {
    return returnTo ? this.check(returnTo) : fallback;
  }
}

function hostMatches(allowed: URL, url: URL): boolean {
  const allowedHost = allowed.hostname.toLowerCase();
  const host = url.hostname.toLowerCase();
  if (allowed.port !== url.port) return false;
  if (allowedHost.startsWith("*.")) return host.endsWith(allowedHost.slice(1));
  return allowedHost === host;
}
