/**
 * A minimal browser for tests: a cookie jar over fetch that records
 * Set-Cookie attributes, never follows redirects (tests assert them) and
 * sends cookies back to the host that set them.
 */
export interface StoredCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export interface BrowserResponse {
  status: number;
  headers: Headers;
  location: string | null;
  body: unknown;
  text: string;
}

export class TestBrowser {
  readonly cookies = new Map<string, StoredCookie>();
  readonly setCookieLog: string[] = [];

  cookieHeader(): string {
    return [...this.cookies.values()].map((c) => `${c.name}=${c.value}`).join("; ");
  }

  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string; json?: unknown; form?: Record<string, string> } = {},
  ): Promise<BrowserResponse> {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.Cookie = cookie;
    let body = init.body;
    if (init.json !== undefined) {
      headers["Content-Type"] = "application/json";
      headers.Accept ??= "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body !== undefined ? "POST" : "GET"), headers, body, redirect: "manual" });
    for (const raw of res.headers.getSetCookie()) this.store(raw);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, location: res.headers.get("location"), body: parsed, text };
  }

  /**
   * Runs one @ory/client FrontendApi call as this browser: the call gets the
   * jar's Cookie header (the SDK's `cookie` parameter) and the cookies the
   * answer sets — success or error — are kept. Lets tests drive browser flows
   * through the official client instead of raw HTTP.
   */
  async viaSdk<T>(call: (cookie: string | undefined) => Promise<{ data: T; headers: unknown }>): Promise<T> {
    try {
      const res = await call(this.cookieHeader() || undefined);
      this.storeAll(res.headers);
      return res.data;
    } catch (error) {
      this.storeAll((error as { response?: { headers?: unknown } }).response?.headers);
      throw error;
    }
  }

  private storeAll(headers: unknown): void {
    const raw = (headers as { "set-cookie"?: unknown } | undefined)?.["set-cookie"];
    if (Array.isArray(raw)) for (const line of raw) if (typeof line === "string") this.store(line);
  }

  private store(raw: string): void {
    this.setCookieLog.push(raw);
    const [pair = "", ...attrs] = raw.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const value = decodeURIComponent(pair.slice(eq + 1));
    const attributes: Record<string, string | true> = {};
    for (const a of attrs) {
      const i = a.indexOf("=");
      if (i < 0) attributes[a.toLowerCase()] = true;
      else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
    }
    const expired = attributes["max-age"] === "0" || value === "";
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, { name, value, attributes });
  }
}
