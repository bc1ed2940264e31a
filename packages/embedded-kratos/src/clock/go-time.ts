import { parseTimeText as parseInstantText, rfc3339NanoOfIso } from "@olympus/server-kit/clock";

/**
 * Kratos' times: Go's time.Time carries nanoseconds, Postgres keeps
 * microseconds, and answers print Go's RFC3339Nano (time.Time MarshalJSON):
 * the fraction has up to nine digits with trailing zeros trimmed, none for a
 * whole second (`…16Z`, `…16.04Z`, `…16.040123Z`). A JavaScript Date holds
 * milliseconds only, so GoTime carries the nanoseconds past the millisecond
 * beside it and prints Go's form.
 */
export class GoTime extends Date {
  /** Nanoseconds past the millisecond the Date holds (0 … 999 999). */
  readonly subMilliNanos: number;

  constructor(epochMs: number, subMilliNanos = 0) {
    const whole = Math.floor(epochMs);
    const nanos = Math.round((epochMs - whole) * 1e6) + Math.trunc(subMilliNanos);
    const carry = Math.floor(nanos / 1e6);
    super(whole + carry);
    this.subMilliNanos = nanos - carry * 1e6;
  }

  /** A GoTime of any Date (a GoTime keeps its nanoseconds). */
  static from(date: Date): GoTime {
    return date instanceof GoTime ? date : new GoTime(date.getTime());
  }

  /** Nanoseconds since the Unix epoch. */
  static fromEpochNanos(nanos: bigint): GoTime {
    const ms = nanos / 1_000_000n;
    const rest = nanos - ms * 1_000_000n;
    return rest < 0n ? new GoTime(Number(ms - 1n), Number(rest + 1_000_000n)) : new GoTime(Number(ms), Number(rest));
  }

  /** The nanoseconds within the second (Go's Time.Nanosecond). */
  get nanosecond(): number {
    return this.getUTCMilliseconds() * 1e6 + this.subMilliNanos;
  }

  /** Time.Add: keeps the nanoseconds. */
  add(ms: number): GoTime {
    return new GoTime(this.getTime() + ms, this.subMilliNanos);
  }

  /** Time.Truncate(time.Microsecond): what pop stamps and what pgx stores. */
  truncateMicroseconds(): GoTime {
    return new GoTime(this.getTime(), Math.floor(this.subMilliNanos / 1000) * 1000);
  }

  /** Time.Truncate(time.Second). */
  truncateSeconds(): GoTime {
    return new GoTime(Math.floor(this.getTime() / 1000) * 1000);
  }

  /** Time.Round(time.Second): halves round up. */
  roundSeconds(): GoTime {
    const whole = Math.floor(this.getTime() / 1000) * 1000;
    return new GoTime(this.nanosecond >= 500_000_000 ? whole + 1000 : whole);
  }

  /** RFC3339Nano in UTC, trailing zeros of the fraction trimmed. */
  override toISOString(): string {
    return rfc3339NanoOfIso(super.toISOString(), this.subMilliNanos);
  }

  override toJSON(): string {
    return this.toISOString();
  }

  /**
   * The parameter text sent to Postgres: UTC with six fraction digits,
   * the nanoseconds truncated as pgx encodes a time.Time.
   */
  toPostgres(): string {
    const base = super.toISOString();
    const text = `${base.slice(0, -1)}${String(Math.floor(this.subMilliNanos / 1000)).padStart(3, "0")}Z`;
    // toISOString writes years past 9999 and before 1 in the extended form (`+013434-…`, `-000001-…`), which
    // Postgres refuses ("time zone displacement out of range"); Postgres reads `13434-…` and `0002-… BC`.
    if (text.startsWith("+")) return text.slice(1).replace(/^0+(?=\d{4})/, "");
    if (text.startsWith("-")) return `${String(1 - Number(text.slice(0, 7))).padStart(4, "0")}${text.slice(7)} BC`;
    return text;
  }
}

/**
 * A time decoded from a request body: Kratos stores what its Postgres keeps
 * of it (`stored`: the wall clock in microseconds, see admin/go-time.ts
 * storedWallClock) but answers the decoded time.Time as Go marshals it
 * again (`text`: the given offset and nanoseconds), until it is re-read.
 */
export class GivenTime extends GoTime {
  constructor(
    stored: GoTime,
    readonly text: string,
  ) {
    super(stored.getTime(), stored.subMilliNanos);
  }

  override toISOString(): string {
    return this.text;
  }
}

/** Go's RFC3339Nano of any Date: a plain Date prints its milliseconds with zeros trimmed. */
export function goTimeString(date: Date): string {
  return GoTime.from(date).toISOString();
}

/**
 * A time as Postgres prints it or an RFC 3339 text, with all its fraction
 * digits up to nanoseconds (@olympus/server-kit/clock's parseTimeText). A
 * text without a zone is UTC (Kratos reads its `timestamp` columns as UTC).
 * Undefined for anything else (infinity, BC years).
 */
export function parseTimeText(text: string): GoTime | undefined {
  const instant = parseInstantText(text);
  return instant && new GoTime(instant.epochMs, instant.subMilliNanos);
}

/** A time Postgres wrote into JSON (json_agg of a row: `…T12:30:16.040123+00:00`), with its microseconds. */
export function jsonTime(text: string): GoTime {
  return parseTimeText(text) ?? GoTime.from(new Date(text));
}
