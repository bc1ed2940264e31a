/**
 * hashicorp/go-retryablehttp v0.7.8 (client.go) as ory/x httpx
 * NewResilientClient configures it: DefaultRetryPolicy and DefaultBackoff.
 */

export interface BackoffOptions {
  retryWaitMinMs: number;
  retryWaitMaxMs: number;
}

/** baseRetryPolicy for answers: 429, and 5xx except 501 (and 0, which Node cannot give; 6xx–9xx are "5xx" too). */
export function retriesStatus(status: number): boolean {
  return status === 429 || status === 0 || (status >= 500 && status !== 501);
}

/**
 * DefaultBackoff: 2^attempt × minimum, at most the maximum — except after a
 * 429 or 503 whose first Retry-After parses: that wait wins, uncapped
 * (RetryWaitMax bounds only the exponential wait; LinearJitterBackoff is not
 * what ory/x configures).
 */
export function backoffMs(options: BackoffOptions, attemptIndex: number, status?: number, retryAfter?: string): number {
  if (status === 429 || status === 503) {
    const after = retryAfterMs(retryAfter);
    if (after !== undefined) return after;
  }
  const wait = 2 ** attemptIndex * options.retryWaitMinMs;
  return Number.isFinite(wait) && wait <= options.retryWaitMaxMs ? wait : options.retryWaitMaxMs;
}

const INT64_MAX = 2n ** 63n - 1n;
const NANOS_PER_MS = 1_000_000n;

/**
 * parseRetryAfterHeader of the first header value: strconv.ParseInt seconds
 * (a sign allowed, int64 range, negative refused), multiplied into a
 * time.Duration as Go does — in int64 nanoseconds, so a huge count wraps and
 * may come out negative, which a timer fires at once — or an RFC 1123 date
 * (a past one waits 0). Undefined when it does not parse.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^[+-]?\d+$/.test(value)) {
    const seconds = BigInt(value);
    if (seconds <= INT64_MAX && seconds >= -INT64_MAX - 1n) {
      if (seconds < 0n) return undefined;
      const nanos = BigInt.asIntN(64, seconds * 1_000_000_000n);
      return nanos <= 0n ? 0 : Number(nanos / NANOS_PER_MS);
    }
  }
  const date = parseRfc1123(value);
  return date === undefined ? undefined : Math.max(0, date - now);
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** time.RFC1123 as time.Parse reads it: names in any case, a one- or two-digit hour, a fraction after the seconds. */
const RFC1123 =
  /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:[.,]\d+)? (UTC|GMT(?:[+-]\d{1,2})?|[A-Z]{3}|[A-Z]{3,4}T)$/;

/** Milliseconds since the epoch, or undefined where time.Parse(time.RFC1123, …) fails. */
function parseRfc1123(value: string): number | undefined {
  const match = RFC1123.exec(value);
  if (!match) return undefined;
  const [, weekday = "", day = "", monthName = "", year = "", hour = "", minute = "", second = "", zone = ""] = match;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (!WEEKDAYS.includes(weekday.toLowerCase()) || month === -1) return undefined;
  const [y, d, h, m, s] = [year, day, hour, minute, second].map(Number) as [number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth || h > 23 || m > 59 || s > 59) return undefined;
  // Go reads a zone it does not know as UTC, and GMT±h as that offset.
  const offsetHours = zone.startsWith("GMT") && zone.length > 3 ? Number(zone.slice(3)) : 0;
  const date = new Date(0);
  date.setUTCFullYear(y, month, d);
  date.setUTCHours(h - offsetHours, m, s, 0);
  return date.getTime();
}

/** The longest setTimeout Node honours; longer waits are chained. */
const MAX_TIMER_MS = 0x7fffffff;

/** Waits `ms` (however long, as Go's timer does) or until `signal` aborts, then rejects with its reason. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const aborted = () => (signal?.reason instanceof Error ? signal.reason : new Error("context canceled"));
  let remaining = ms;
  do {
    const step = Math.min(Math.max(remaining, 0), MAX_TIMER_MS);
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted());
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, step);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    remaining -= step;
  } while (remaining > 0);
}
