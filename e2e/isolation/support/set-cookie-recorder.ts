import type { BrowserContext, Response } from "@playwright/test";
import type { SetCookieRecord } from "./cookies";

/**
 * Collects every Set-Cookie header the browser receives (redirect hops
 * included) and every one the test's own requests receive, from any service.
 */
export class SetCookieRecorder {
  private readonly records: SetCookieRecord[] = [];
  private readonly pending: Promise<void>[] = [];

  /** Records every response a browser context receives from now on. */
  watch(context: BrowserContext): void {
    context.on("response", (response) => this.pending.push(this.collect(response)));
  }

  /** fetch() that records Set-Cookie; redirects are not followed, so no hop's headers are lost. */
  async fetch(url: string, init: RequestInit = {}): Promise<globalThis.Response> {
    const response = await fetch(url, { redirect: "manual", ...init });
    for (const header of response.headers.getSetCookie()) this.records.push({ url, header });
    return response;
  }

  /** Everything recorded so far (waits for headers still being read). */
  async all(): Promise<SetCookieRecord[]> {
    await Promise.all(this.pending);
    return [...this.records];
  }

  private async collect(response: Response): Promise<void> {
    // headersArray keeps each Set-Cookie line; a closed page may no longer answer.
    const headers = await response.headersArray().catch(() => []);
    for (const { name, value } of headers) {
      if (name.toLowerCase() === "set-cookie") this.records.push({ url: response.url(), header: value });
    }
  }
}

/** The origins (scheme, host, port) that set at least one cookie: shows which services the check covered. */
export function originsSettingCookies(records: readonly SetCookieRecord[]): string[] {
  return [...new Set(records.map((record) => new URL(record.url).origin))].sort();
}
