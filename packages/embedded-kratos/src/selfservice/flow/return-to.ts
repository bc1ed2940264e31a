import type { KratosConfig } from "../../config/load";
import { errors } from "../../http/errors";

/**
 * Validates `return_to` against selfservice.allowed_return_urls (scheme,
 * host — `*.` wildcards allowed — and path prefix), the default return URL
 * and the public base URL, like Kratos' x/redir SecureRedirectTo.
 */
export class ReturnToPolicy {
  private readonly allowed: URL[];

  constructor(private readonly config: KratosConfig) {
    const list = [...config.selfservice.allowed_return_urls, config.selfservice.default_browser_return_url, config.publicBaseUrl];
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
