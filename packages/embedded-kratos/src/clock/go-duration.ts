import { now as clockNow } from "./clock";
import { GoTime } from "./go-time";

/**
 * Go's time.Duration: int64 nanoseconds. Kratos measures how long ago a flow
 * expired with time.Since (selfservice/flow/error.go NewFlowExpiredError,
 * text/message_*.go), answers the duration as its nanoseconds (`since`) and
 * prints its Minutes() with `%.2f`. Both need nanoseconds and Go's rounding,
 * which millisecond Dates and Number.toFixed do not give.
 */
const MAX_DURATION = (1n << 63n) - 1n;
const MIN_DURATION = -(1n << 63n);
const NANOS_PER_MINUTE = 60_000_000_000n;

function epochNanos(t: Date): bigint {
  const g = GoTime.from(t);
  return BigInt(g.getTime()) * 1_000_000n + BigInt(g.subMilliNanos);
}

/** Time.Sub: t - u in nanoseconds, saturated at the int64 bounds as Go does. */
export function durationBetween(t: Date, u: Date): bigint {
  const d = epochNanos(t) - epochNanos(u);
  return d > MAX_DURATION ? MAX_DURATION : d < MIN_DURATION ? MIN_DURATION : d;
}

/** time.Since(t): how long ago t was (wall clock; times read from Postgres carry no monotonic reading). */
export function since(t: Date, now: Date = clockNow()): bigint {
  return durationBetween(now, t);
}

/** time.Until(t). */
export function until(t: Date, now: Date = clockNow()): bigint {
  return durationBetween(t, now);
}

/** Duration.Minutes: whole minutes plus the rest as a fraction, in float64. */
export function durationMinutes(d: bigint): number {
  const minutes = d / NANOS_PER_MINUTE;
  const rest = d % NANOS_PER_MINUTE;
  return Number(minutes) + Number(rest) / 60e9;
}

/**
 * fmt's `%.<prec>f` of a finite float64 (strconv.FormatFloat 'f'): the exact
 * binary value rounded to `prec` decimals, an exact half to the even digit
 * (strconv decimal.go shouldRoundUp). Number.toFixed rounds a half up
 * (0.125 → "0.13" where Go prints "0.12").
 */
export function goFixed(x: number, prec: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : x < 0 ? "-Inf" : "NaN";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // x = mantissa · 2^exponent exactly.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const scale = 10n ** BigInt(prec);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const denominator = 1n << BigInt(-exponent);
    const numerator = mantissa * scale;
    scaled = numerator / denominator;
    const twice = (numerator % denominator) * 2n;
    if (twice > denominator || (twice === denominator && scaled % 2n === 1n)) scaled += 1n;
  }
  const digits = scaled.toString().padStart(prec + 1, "0");
  const whole = digits.slice(0, digits.length - prec);
  const decimals = prec > 0 ? `.${digits.slice(digits.length - prec)}` : "";
  return `${negative ? "-" : ""}${whole}${decimals}`;
}

/** `%.2f` of Duration.Minutes(): the minutes Kratos' expiry texts print. */
export function minutesText(d: bigint): string {
  return goFixed(durationMinutes(d), 2);
}
