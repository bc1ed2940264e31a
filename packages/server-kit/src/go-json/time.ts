/**
 * Go's time.Time UnmarshalJSON for request bodies: the text must be a strict
 * RFC 3339 time (time/format_rfc3339.go parseStrictRFC3339), and a refused
 * one is described by time.Parse's ParseError with the layout
 * `2006-01-02T15:04:05Z07:00`
 * (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`).
 */

const RFC3339 = "2006-01-02T15:04:05Z07:00";

/** time.quote of a byte string (one char per byte): ASCII kept (quotes and backslashes escaped), other bytes as \x. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x80 || code < 0x20) {
      out += `\\x${code.toString(16).padStart(2, "0")}`;
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return `${out}"`;
}

function parseError(value: string, layoutElem: string, valueElem: string, message = ""): string {
  if (message !== "") return `parsing time ${goTimeQuote(value)}${message}`;
  return `parsing time ${goTimeQuote(value)} as ${goTimeQuote(RFC3339)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`;
}

const digitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39;

/** time.getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | undefined {
  if (!digitAt(s, 0)) return undefined;
  if (!digitAt(s, 1)) return fixed ? undefined : { n: Number(s[0]), rest: s.slice(1) };
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** time.Parse(time.RFC3339, value): undefined when it parses, else the ParseError text. */
function parseWithLayout(value: string): string | undefined {
  let rest = value;
  const literal = (char: string): string | undefined => {
    if (!rest.startsWith(char)) return parseError(value, char, rest);
    rest = rest.slice(1);
    return undefined;
  };
  // stdLongYear: four characters, the first a digit, all of them an integer.
  if (rest.length < 4 || !digitAt(rest, 0) || !/^\d{4}$/.test(rest.slice(0, 4))) return parseError(value, "2006", rest);
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  const fields: { layout: string; sep: string; fixed: boolean; range?: [string, (n: number) => boolean] }[] = [
    { layout: "01", sep: "-", fixed: true, range: ["month", (n) => n >= 1 && n <= 12] },
    { layout: "02", sep: "-", fixed: true },
    { layout: "15", sep: "T", fixed: false, range: ["hour", (n) => n < 24] },
    { layout: "04", sep: ":", fixed: true, range: ["minute", (n) => n < 60] },
    { layout: "05", sep: ":", fixed: true, range: ["second", (n) => n < 60] },
  ];
  const numbers: number[] = [];
  for (const field of fields) {
    const sepError = literal(field.sep);
    if (sepError) return sepError;
    const got = getnum(rest, field.fixed);
    if (!got) return parseError(value, field.layout, rest);
    rest = got.rest;
    if (field.range && !field.range[1](got.n)) return parseError(value, field.layout, rest, `: ${field.range[0]} out of range`);
    numbers.push(got.n);
  }
  // A fractional second the layout does not name is still read after the seconds.
  if (rest.length >= 2 && (rest[0] === "." || rest[0] === ",") && digitAt(rest, 1)) {
    let n = 2;
    while (digitAt(rest, n)) n++;
    rest = rest.slice(n);
  }
  // stdISO8601ColonTZ: `Z`, or a sign, two digits, a colon and two digits.
  if (rest.startsWith("Z")) {
    rest = rest.slice(1);
  } else {
    const zone = rest;
    if (rest.length < 6 || rest[3] !== ":") return parseError(value, "Z07:00", zone);
    const hours = getnum(rest.slice(1, 3), true);
    const minutes = hours && getnum(rest.slice(4, 6), true);
    const sign = rest[0];
    rest = rest.slice(6);
    // Go checks the ranges (with >: offsets of 24 hours or 60 minutes pass) before the digits and the sign.
    if ((minutes?.n ?? 0) > 60) return parseError(value, "Z07:00", rest, ": time zone offset minute out of range");
    if ((hours?.n ?? 0) > 24) return parseError(value, "Z07:00", rest, ": time zone offset hour out of range");
    if (!hours || !minutes || (sign !== "+" && sign !== "-")) return parseError(value, "Z07:00", zone);
  }
  if (rest !== "") return parseError(value, "", rest, `: extra text: ${goTimeQuote(rest)}`);
  const [month = 0, day = 0] = numbers;
  if (day < 1 || day > daysIn(month, year)) return parseError(value, "", rest, ": day out of range");
  return undefined;
}

/**
 * The error text Go gives for the text between a JSON string's quotes
 * (raw, escapes as written, one char per byte: Time.UnmarshalJSON does not
 * unescape) that is not a time Go accepts, or undefined when it is one.
 */
export function goRfc3339Error(value: string): string | undefined {
  const generic = parseWithLayout(value);
  if (generic) return generic;
  // What time.Parse lets through and the strict RFC 3339 reading still refuses.
  if (value.charAt(12) === ":") return parseError(value, "15", value.charAt(11));
  if (value.length >= 19 && value.charAt(19) === ",") return parseError(value, ".", ",");
  if (!value.endsWith("Z")) {
    const zone = value.slice(-6);
    if (Number(value.slice(-5, -3)) >= 24) return parseError(value, "Z07:00", zone, ": timezone hour out of range");
    if (Number(value.slice(-2)) >= 60) return parseError(value, "Z07:00", zone, ": timezone minute out of range");
  }
  return undefined;
}

/** The parts of a time Go's strict RFC 3339 reading accepted (goRfc3339Error gave no error). */
export const ACCEPTED_RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * How Go writes back a time it parsed from `value` (Time.MarshalJSON,
 * RFC 3339 with nanoseconds): the given offset is kept (a zero offset is
 * `Z`), digits past the ninth are dropped and trailing zeros trimmed.
 */
export function goTimeJson(value: string): string {
  const m = ACCEPTED_RFC3339.exec(value);
  if (!m) return value;
  const fraction = (m[2] ?? "").slice(0, 9).replace(/0+$/, "");
  const zone = m[3] === "Z" || m[3] === "+00:00" || m[3] === "-00:00" ? "Z" : (m[3] ?? "Z");
  return `${m[1] ?? ""}${fraction ? `.${fraction}` : ""}${zone}`;
}
