import { RuntimeFailure } from "./errors";
import { formatNumber, JArray, JObject, toStringValue, typeName, type Value } from "./values";

/**
 * std.format and `string % values` (Python-style codes as the Jsonnet
 * standard library defines them): %s %d %i %u %f %F %x %X %o %c %%, with flags
 * `-0+ #`, width and precision, positional or `%(name)s` with an object.
 * Other conversions are refused.
 */
export function format(template: string, values: Value): string {
  const positional = values instanceof JArray ? values.elements.map((e) => e.get()) : values instanceof JObject ? [] : [values];
  let next = 0;
  const take = (): Value => {
    if (next >= positional.length) throw new RuntimeFailure("Not enough values to format");
    return positional[next++] as Value;
  };
  const pattern = /%(?:\(([^)]*)\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)?/gy;
  let out = "";
  let i = 0;
  while (i < template.length) {
    const percent = template.indexOf("%", i);
    if (percent < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, percent);
    pattern.lastIndex = percent;
    const match = pattern.exec(template);
    const [whole = "", key, flags = "", widthText, precisionText, conversion] = match ?? [];
    if (!conversion) throw new RuntimeFailure("Truncated format code");
    i = percent + whole.length;
    if (conversion === "%") {
      out += "%";
      continue;
    }
    const width = widthText === "*" ? Number(take()) : widthText ? Number(widthText) : 0;
    const precision = precisionText === "*" ? Number(take()) : precisionText ? Number(precisionText) : undefined;
    let value: Value;
    if (key !== undefined) {
      if (!(values instanceof JObject)) throw new RuntimeFailure("Format required an object, since the format string has %(name)s");
      value = values.get(key);
    } else {
      value = take();
    }
    out += pad(convert(conversion, value, flags, precision), width, flags);
  }
  if (!(values instanceof JObject) && next < positional.length) {
    throw new RuntimeFailure(`Too many values to format: ${positional.length}, expected ${next}`);
  }
  return out;
}

function number(value: Value, conversion: string): number {
  if (typeof value !== "number") throw new RuntimeFailure(`Format required number at ${conversion}, got ${typeName(value)}`);
  return value;
}

function signed(n: number, digits: string, flags: string): string {
  const sign = n < 0 ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  return sign + digits;
}

function convert(conversion: string, value: Value, flags: string, precision: number | undefined): string {
  switch (conversion) {
    case "s":
      return toStringValue(value);
    case "d":
    case "i":
    case "u": {
      const n = Math.trunc(number(value, conversion));
      return signed(n, formatNumber(Math.abs(n)).padStart(precision ?? 0, "0"), flags);
    }
    case "f":
    case "F": {
      const n = number(value, conversion);
      return signed(n, Math.abs(n).toFixed(precision ?? 6), flags);
    }
    case "x":
    case "X":
    case "o": {
      const n = Math.trunc(number(value, conversion));
      let digits = Math.abs(n).toString(conversion === "o" ? 8 : 16);
      if (conversion === "X") digits = digits.toUpperCase();
      if (flags.includes("#")) digits = (conversion === "o" ? "0" : conversion === "x" ? "0x" : "0X") + digits;
      return signed(n, digits, flags);
    }
    case "c":
      if (typeof value === "number") return String.fromCodePoint(value);
      if (typeof value === "string" && Array.from(value).length === 1) return value;
      throw new RuntimeFailure(`%c expected number or 1-character string, got ${typeName(value)}`);
    default:
      throw new RuntimeFailure(`Format code %${conversion} is not supported by the embedded Jsonnet evaluator`, undefined, "unsupported");
  }
}

function pad(text: string, width: number, flags: string): string {
  const length = Array.from(text).length;
  if (length >= width) return text;
  if (flags.includes("-")) return text + " ".repeat(width - length);
  if (flags.includes("0") && /^[-+ ]?(0[xX])?[0-9a-fA-F.]+$/.test(text)) {
    const prefix = /^[-+ ]?(0[xX])?/.exec(text)?.[0] ?? "";
    return prefix + "0".repeat(width - length) + text.slice(prefix.length);
  }
  return " ".repeat(width - length) + text;
}
