/**
 * strconv's exact formatting of a float64 for %f and %e: a double is
 * mant·2^exp, so mant·5^-exp is its exact decimal digits; rounding is to
 * nearest, ties to even, as strconv rounds. Number's toFixed and
 * toExponential stop at 100 digits (RangeError past that; Go prints any
 * precision up to fmt's 10^6 cap) and break ties upwards.
 */

/** x (finite, ≥ 0) as digits / 10^scale, exactly. */
function exactDigits(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  let mant = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exp = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) return { digits: mant << BigInt(exp), scale: 0 };
  return { digits: mant * 5n ** BigInt(-exp), scale: -exp };
}

/** digits / 10^drop, rounded half to even. */
function roundOff(digits: bigint, drop: number): bigint {
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const unit = 10n ** BigInt(drop);
  const quotient = digits / unit;
  const twice = (digits % unit) * 2n;
  return twice > unit || (twice === unit && quotient % 2n === 1n) ? quotient + 1n : quotient;
}

/** strconv.FormatFloat(x, 'f', precision, 64) for finite x ≥ 0. */
export function exactFixed(x: number, precision: number): string {
  const { digits, scale } = exactDigits(x);
  const text = roundOff(digits, scale - precision)
    .toString()
    .padStart(precision + 1, "0");
  return precision === 0 ? text : `${text.slice(0, -precision)}.${text.slice(-precision)}`;
}

/** strconv.FormatFloat(x, 'e', precision, 64) for finite x ≥ 0: mantissa digits and the decimal exponent. */
export function exactExponential(x: number, precision: number): { mantissa: string; exponent: number } {
  if (x === 0) return { mantissa: precision === 0 ? "0" : `0.${"0".repeat(precision)}`, exponent: 0 };
  const { digits, scale } = exactDigits(x);
  const length = digits.toString().length;
  let rounded = roundOff(digits, length - (precision + 1)).toString();
  let exponent = length - 1 - scale;
  if (rounded.length > precision + 1) {
    // A carry (9.99 → 10.0) adds a digit: one more power of ten.
    rounded = rounded.slice(0, precision + 1);
    exponent++;
  }
  return { mantissa: precision === 0 ? rounded : `${rounded[0]}.${rounded.slice(1)}`, exponent };
}

/** strconv.FormatFloat(x, 'g', precision, 64) for finite x ≥ 0 (precision 0 means 1; trailing zeros dropped, as %g prints). */
export function exactGeneral(x: number, precision: number): string {
  if (x === 0) return "0";
  const wanted = Math.max(precision, 1);
  const { mantissa, exponent } = exactExponential(x, wanted - 1);
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  const point = exponent + 1;
  // strconv's %e-or-%f choice: the precision, lowered to the digit count when the digits are all before the point.
  const eprec = wanted > digits.length && digits.length >= point ? digits.length : wanted;
  if (exponent < -4 || exponent >= eprec) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
