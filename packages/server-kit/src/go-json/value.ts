/** A JSON.rawJSON value (Node ≥ 21; TypeScript's lib does not describe it yet): a number kept with its text. */
export interface RawJsonNumber {
  readonly rawJSON: string;
}

interface JsonWithRaw {
  rawJSON(text: string): RawJsonNumber;
}

const rawJson = JSON as unknown as JsonWithRaw;
const rawJsonNumber = (text: string): RawJsonNumber => rawJson.rawJSON(text);

/**
 * JSON values as Go's encoding/json decoder sees them (decode.go), read from
 * the bytes the scanner has already checked: a string's Go value follows
 * unquoteBytes (every byte that is not UTF-8 and every unpaired surrogate
 * escape becomes U+FFFD), while its source text stays at hand for types that
 * read the raw literal (Time.UnmarshalJSON parses the text between the
 * quotes, escapes and all), and objects keep repeated keys in order so a
 * decoder can merge them as Go does.
 */

export type GoNode =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  /** `raw`: the literal as written (Go's type errors quote it: `number 1.5`). */
  | { t: "number"; v: number; raw: string }
  /**
   * `v`: the Go string (unquoteBytes); `json`: the same text as JSON.parse
   * would read it, with each byte that is not UTF-8 as a lone surrogate
   * (U+DC80 + byte) so raw messages that Postgres could not store stay
   * recognisable; `raw`: the bytes between the quotes, one char per byte.
   */
  | { t: "string"; v: string; json: string; raw: string }
  /** `src`: the bytes as the body wrote them, when read from one (an Unmarshaler gets them: NullUUID quotes them in its error). */
  | { t: "array"; items: GoNode[]; src?: Uint8Array }
  | { t: "object"; entries: [key: GoNode & { t: "string" }, value: GoNode][]; src?: Uint8Array };

/** Nesting the node reader follows; deeper bodies are refused as too deeply nested before any decoding. */
export const MAX_NODE_DEPTH = 100;

export class GoValueTooDeepError extends Error {
  override name = "GoValueTooDeepError";
}

const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);

/** utf8.DecodeRune's length for a valid sequence at `i`, or 0 when Go reads the byte as RuneError (size 1). */
function utf8Length(bytes: Uint8Array, i: number, end: number): number {
  const b0 = bytes[i] as number;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < end && (bytes[i + k] as number) >= lo && (bytes[i + k] as number) <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

const isHighSurrogate = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLowSurrogate = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** A string literal's contents (between the quotes, already scanned). */
function readString(bytes: Uint8Array, start: number, end: number): GoNode & { t: "string" } {
  let v = "";
  let json = "";
  const u4 = (at: number) =>
    at + 6 <= end && bytes[at] === 0x5c && bytes[at + 1] === 0x75
      ? [2, 3, 4, 5].reduce((n, k) => n * 16 + hexValue(bytes[at + k] as number), 0)
      : -1;
  let i = start;
  while (i < end) {
    const c = bytes[i] as number;
    if (c === 0x5c) {
      const e = bytes[i + 1] as number;
      if (e !== 0x75) {
        const ch = { 0x62: "\b", 0x66: "\f", 0x6e: "\n", 0x72: "\r", 0x74: "\t" }[e] ?? String.fromCharCode(e);
        v += ch;
        json += ch;
        i += 2;
        continue;
      }
      const unit = u4(i);
      i += 6;
      json += String.fromCharCode(unit);
      if (!isHighSurrogate(unit) && !isLowSurrogate(unit)) {
        v += String.fromCharCode(unit);
        continue;
      }
      // A surrogate counts only as the first half of a pair; otherwise it is U+FFFD and the next escape is read on its own.
      const next = isHighSurrogate(unit) ? u4(i) : -1;
      if (isLowSurrogate(next)) {
        v += String.fromCharCode(unit, next);
        json += String.fromCharCode(next);
        i += 6;
      } else {
        v += "\uFFFD";
      }
      continue;
    }
    if (c < 0x80) {
      v += String.fromCharCode(c);
      json += String.fromCharCode(c);
      i++;
      continue;
    }
    const length = utf8Length(bytes, i, end);
    if (length === 0) {
      v += "\uFFFD";
      json += String.fromCharCode(0xdc00 + c);
      i++;
      continue;
    }
    const text = Buffer.from(bytes.subarray(i, i + length)).toString("utf8");
    v += text;
    json += text;
    i += length;
  }
  return { t: "string", v, json, raw: Buffer.from(bytes.subarray(start, end)).toString("latin1") };
}

/**
 * Reads the value the scanner accepted in `bytes[0, end)`. Throws
 * GoValueTooDeepError past MAX_NODE_DEPTH levels of arrays and objects.
 */
export function readGoNode(bytes: Uint8Array, end: number): GoNode {
  let i = 0;
  const skipSpace = () => {
    while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  };
  const stringNode = (): GoNode & { t: "string" } => {
    const start = ++i;
    while (bytes[i] !== 0x22) i += bytes[i] === 0x5c ? 2 : 1;
    return readString(bytes, start, i++);
  };
  const value = (depth: number): GoNode => {
    skipSpace();
    const c = bytes[i] as number;
    if (c === 0x22) return stringNode();
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_NODE_DEPTH) throw new GoValueTooDeepError("nested too deeply");
      const start = i++;
      const close = c === 0x7b ? 0x7d : 0x5d;
      const items: GoNode[] = [];
      const entries: [GoNode & { t: "string" }, GoNode][] = [];
      skipSpace();
      while (bytes[i] !== close) {
        if (c === 0x7b) {
          skipSpace();
          const key = stringNode();
          skipSpace();
          i++; // the colon
          entries.push([key, value(depth + 1)]);
        } else {
          items.push(value(depth + 1));
        }
        skipSpace();
        if (bytes[i] === 0x2c) i++;
        skipSpace();
      }
      i++;
      const src = bytes.subarray(start, i);
      return c === 0x7b ? { t: "object", entries, src } : { t: "array", items, src };
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      i += c === 0x66 ? 5 : 4;
      return c === 0x6e ? { t: "null" } : { t: "bool", v: c === 0x74 };
    }
    const start = i;
    while (i < end && /[-+.eE0-9]/.test(String.fromCharCode(bytes[i] as number))) i++;
    const raw = Buffer.from(bytes.subarray(start, i)).toString("latin1");
    return { t: "number", v: Number(raw), raw };
  };
  return value(0);
}

/**
 * A json.RawMessage's value for this server: what JSON.parse gives for the
 * same text (the last of repeated keys wins), with bytes that are not UTF-8
 * kept as lone surrogates, so the storability check refuses what Postgres
 * would refuse from the Go server. `keepNumberText`: numbers as JSON.rawJSON
 * values of their literal instead of their float64.
 */
export function rawNodeValue(node: GoNode, keepNumberText = false): unknown {
  switch (node.t) {
    case "null":
      return null;
    case "bool":
      return node.v;
    case "number":
      return keepNumberText ? rawJsonNumber(node.raw) : node.v;
    case "string":
      return node.json;
    case "array":
      return node.items.map((item) => rawNodeValue(item, keepNumberText));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, item] of node.entries) {
        // Own data properties, so a `__proto__` key is a key like any other (as in JSON.parse).
        Object.defineProperty(out, key.json, {
          value: rawNodeValue(item, keepNumberText),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

/**
 * The compact text of a json.RawMessage as encoding/json writes it
 * (Compact): no whitespace, and everything else as the body wrote it —
 * repeated keys, key order, number literals, string escapes.
 */
export function rawNodeText(node: GoNode): string {
  switch (node.t) {
    case "null":
      return "null";
    case "bool":
      return node.v ? "true" : "false";
    case "number":
      return node.raw;
    case "string":
      return `"${Buffer.from(node.raw, "latin1").toString("utf8")}"`;
    case "array":
      return `[${node.items.map(rawNodeText).join(",")}]`;
    case "object":
      return `{${node.entries.map(([key, item]) => `${rawNodeText(key)}:${rawNodeText(item)}`).join(",")}}`;
  }
}
