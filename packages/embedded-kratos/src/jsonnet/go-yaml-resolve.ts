import type { ScalarTag, Tags } from "yaml";

/**
 * go-yaml v2 (go.yaml.in/yaml/v2, which sigs.k8s.io/yaml uses) resolve.go and decode.go scalar for the values
 * std.parseYaml reads: how a plain scalar becomes a bool, null, int or float, how an explicit `!!int`, `!!float`,
 * `!!bool`, `!!null` or `!!timestamp` tag checks its scalar, and how `!!binary` data is decoded.
 */

const YAML_TAG = "tag:yaml.org,2002:";

/** A float go-yaml v2 resolved (not an int): a map key made of it is written with FormatFloat(…, 'g', -1, 32). */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** A value decode.go fails on (failf); reported in document order once the document has been read. */
export class DecodeFailure {
  constructor(readonly message: string) {}
}

/** resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat reads of a scalar starting with `.` (no underscores without a base prefix). */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

type Resolved = { tag: "bool" | "null" | "int" | "float" | "timestamp" | "str"; value: unknown };

/** resolve.go resolveMap: the bools, nulls and special floats looked up by their exact text. */
const RESOLVE_MAP = new Map<string, Resolved>();
for (const [tag, value, texts] of [
  ["bool", true, "y Y yes Yes YES true True TRUE on On ON"],
  ["bool", false, "n N no No NO false False FALSE off Off OFF"],
  ["null", null, " ~ null Null NULL"],
  ["float", new GoFloat(NaN), ".nan .NaN .NAN"],
  ["float", new GoFloat(Infinity), ".inf .Inf .INF +.inf +.Inf +.INF"],
  ["float", new GoFloat(-Infinity), "-.inf -.Inf -.INF"],
] as const) {
  for (const text of texts.split(" ")) RESOLVE_MAP.set(text, { tag, value });
}

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint as resolve does: the value, or undefined if neither reads it. */
function goParseInt(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ""] = match;
  const prefix = digits.slice(0, 2).toLowerCase();
  let magnitude: bigint;
  if (prefix === "0o") magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (prefix === "0x" || prefix === "0b") magnitude = BigInt(`${prefix}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith("0")) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = sign === "-" ? -magnitude : magnitude;
  const fitsInt64 = value >= -(2n ** 63n) && value < 2n ** 63n;
  // ParseUint takes no sign.
  const fitsUint64 = sign === "" && value < 2n ** 64n;
  return fitsInt64 || fitsUint64 ? Number(value) : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * resolve.go parseTimestamp: four digits and `-`, then time.Parse with one of allowedTimestampFormats
 * (`2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`), whose fields
 * time.Parse checks for range (a day beyond its month's length too).
 */
function isTimestamp(text: string): boolean {
  const match =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?(?:Z|[-+]([0-9]{2}):([0-9]{2})))|(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?))?$/.exec(
      text,
    );
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > days) return false;
  const hour = Number(match[4] ?? match[9] ?? 0);
  const minute = Number(match[5] ?? match[10] ?? 0);
  const second = Number(match[6] ?? match[11] ?? 0);
  const zoneHour = Number(match[7] ?? 0);
  const zoneMinute = Number(match[8] ?? 0);
  return hour < 24 && minute < 60 && second < 60 && zoneHour < 24 && zoneMinute < 60;
}

/** resolve.go resolve's lookup for a scalar the tag lets it read as more than a string (`""` for an untagged one). */
function resolveText(text: string, tag: string): Resolved {
  const hint = text === "" ? "N" : text[0];
  if (!hint || !/^[-+0-9yYnNtTfFoO~.N]$/.test(hint)) return { tag: "str", value: text };
  const mapped = RESOLVE_MAP.get(text);
  if (mapped) return mapped;
  if (hint === ".") {
    const value = DOT_FLOAT.test(text) ? Number(text) : Infinity;
    return Number.isFinite(value) ? { tag: "float", value: new GoFloat(value) } : { tag: "str", value: text };
  }
  if (!/^[-+0-9]$/.test(hint)) return { tag: "str", value: text };
  // Only an untagged scalar or an explicit !!timestamp is tried as a timestamp; go-yaml keeps the text.
  if ((tag === "" || tag === "timestamp") && isTimestamp(text)) return { tag: "timestamp", value: text };
  const plain = text.replaceAll("_", "");
  const integer = goParseInt(plain);
  if (integer !== undefined) return { tag: "int", value: integer };
  if (YAML_STYLE_FLOAT.test(plain)) {
    // ParseFloat reports a value beyond float64 as an error (ErrRange): the scalar stays a string.
    const value = Number(plain);
    if (Number.isFinite(value)) return { tag: "float", value: new GoFloat(value) };
  }
  return { tag: "str", value: text };
}

/** resolve for an untagged plain scalar starting with a digit, a sign or a dot (the rest is the YAML 1.1 schema's). */
function resolvePlainNumber(text: string): unknown {
  return resolveText(text, "").value;
}

/**
 * resolve(tag, in) for an explicit tag: the scalar must resolve to that tag (an int is accepted as a float), or
 * decoding fails with `cannot decode !!float `1.5` as a !!int`.
 */
function resolveTagged(tag: "int" | "float" | "bool" | "null" | "timestamp", text: string): unknown {
  const resolved = resolveText(text, tag);
  if (resolved.tag === tag) return resolved.value;
  if (tag === "float" && resolved.tag === "int" && typeof resolved.value === "number") return new GoFloat(resolved.value);
  return new DecodeFailure(`cannot decode !!${resolved.tag} \`${text}\` as a !!${tag}`);
}

/**
 * Go's UTF-8 decoding as encoding/json applies it to a string it writes: each byte that does not start a valid
 * sequence (utf8.DecodeRuneInString returns RuneError with width 1) becomes U+FFFD on its own, so a truncated
 * four-byte sequence gives three of them where a WHATWG decoder gives one.
 */
function goUtf8(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] ?? 0;
    const length = b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    // utf8.go acceptRanges: the second byte's range depends on the first (no overlongs, surrogates or > U+10FFFF).
    const low = b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) {
      const b = bytes[i + k] ?? 0;
      valid = k === 1 ? b >= low && b <= high : b >= 0x80 && b <= 0xbf;
    }
    if (!valid) {
      out += "\ufffd";
      i++;
      continue;
    }
    out += Buffer.from(bytes.subarray(i, i + length)).toString("utf8");
    i += length;
  }
  return out;
}

/** decode.go: a `!!binary` scalar is base64 (line breaks ignored), decoded to a Go string of its bytes. */
function resolveBinary(text: string): string | DecodeFailure {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    return new DecodeFailure("!!binary value contains invalid base64 data");
  return goUtf8(Buffer.from(compact, "base64"));
}

const numberTag: ScalarTag = {
  tag: `${YAML_TAG}int`,
  default: true,
  test: /^[-+.0-9]/,
  identify: (value) => typeof value === "number" || value instanceof GoFloat,
  resolve: (text) => resolvePlainNumber(text),
};

/**
 * An explicit tag: the yaml package takes a tag without `default` (and so without a test) for an explicitly tagged
 * scalar before the schema's default one of the same name, and never for an untagged one.
 */
const explicitTag = (name: "int" | "float" | "bool" | "null" | "timestamp"): ScalarTag => ({
  tag: `${YAML_TAG}${name}`,
  resolve: (text) => resolveTagged(name, text),
});

/** The YAML 1.1 schema with go-yaml v2's numbers, explicit scalar tags, `!!binary` and no timestamps of its own. */
export const GO_YAML_TAGS = (tags: Tags): Tags => [
  ...tags.filter(
    (tag) =>
      typeof tag === "string" || ![`${YAML_TAG}int`, `${YAML_TAG}float`, `${YAML_TAG}timestamp`, `${YAML_TAG}binary`].includes(tag.tag),
  ),
  numberTag,
  explicitTag("int"),
  explicitTag("float"),
  explicitTag("bool"),
  explicitTag("null"),
  explicitTag("timestamp"),
  { tag: `${YAML_TAG}binary`, resolve: resolveBinary },
];
