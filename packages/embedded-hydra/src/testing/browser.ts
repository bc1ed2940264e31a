/**
 * A minimal browser for tests: plain fetch, a cookie jar keyed by host and
 * path, and redirects followed by hand so each hop can be inspected.
 */
interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  attributes: string;
}

export class TestBrowser {
  readonly cookies: StoredCookie[] = [];

  /** Raw Set-Cookie headers seen so far (to assert attributes). */
  readonly setCookieHeaders: string[] = [];

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((cookie) => cookie.host === url.host && url.pathname.startsWith(cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }

  private store(url: URL, headers: Headers): void {
    for (const header of headers.getSetCookie()) {
      this.setCookieHeaders.push(header);
      const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      const pathAttribute = attributes.find((attribute) => attribute.toLowerCase().startsWith("path="));
      const path = pathAttribute ? pathAttribute.slice(5) : "/";
      const expired = attributes.some((attribute) => /^expires=thu, 01 jan 1970/i.test(attribute)) || value === "";
      const existing = this.cookies.findIndex((cookie) => cookie.name === name && cookie.host === url.host && cookie.path === path);
      if (existing !== -1) this.cookies.splice(existing, 1);
      if (!expired) this.cookies.push({ name, value, host: url.host, path, attributes: attributes.join("; ") });
    }
  }

  async request(target: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Response> {
    const url = new URL(target);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    if (init.body) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      redirect: "manual",
      ...(init.body ? { body: init.body } : {}),
    });
    this.store(url, response.headers);
    return response;
  }

  /**
   * Follows redirects from `target` until one leaves for a URL that `stop`
   * accepts (returned without requesting it) or a non-redirect response.
   */
  async navigate(target: string, stop: (url: URL) => boolean): Promise<{ url: URL; response?: Response }> {
    let current = new URL(target);
    for (let hop = 0; hop < 20; hop++) {
      if (stop(current)) return { url: current };
      const response = await this.request(current.toString());
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      await response.body?.cancel();
      current = new URL(location, current);
    }
    throw new Error(`too many redirects from ${target}`);
  }
}
