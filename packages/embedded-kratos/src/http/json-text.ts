/**
 * JSON values answered with the text Kratos keeps for them. Kratos holds
 * traits and metadata as json.RawMessage: encoding/json writes such a value
 * as its bytes, compacted (repeated keys, key order and number text stay as
 * they are), so a JavaScript value cannot stand for it. A JsonText carries
 * the text next to the decoded value; `stringifyJson` writes the text, every
 * other consumer (JSON.stringify, templates reading the value) sees the value.
 */

/** The texts stringifyJson is collecting while it runs (JSON.stringify is synchronous), with its nonce. */
let collecting: { texts: string[]; nonce: string } | undefined;

export class JsonText {
  constructor(
    /** The compact JSON text to answer. */
    readonly text: string,
    /** What the text decodes to, for code that needs values. */
    readonly value: unknown,
  ) {}

  /** Inside stringifyJson a placeholder for the text; anywhere else (webhook payloads, stored flows) the value. */
  toJSON(): unknown {
    if (collecting === undefined) return this.value;
    collecting.texts.push(this.text);
    return `\u0000${collecting.nonce}:${collecting.texts.length - 1}`;
  }
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/**
 * encoding/json Compact without HTML escaping (the rest of every answer is
 * written by JSON.stringify, which does not escape `<`, `>`, `&` either):
 * whitespace outside strings is dropped, everything else stays as written.
 * The text must be valid JSON.
 */
export function compactJson(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!WHITESPACE.has(c)) {
      out += c;
    }
  }
  return out;
}

/**
 * JSON.stringify, with each JsonText written as its text: toJSON leaves a
 * placeholder no other JSON.stringify output can hold (a string of its own
 * made of a NUL and a per-call nonce), which is replaced by the text.
 */
export function stringifyJson(body: unknown): string {
  const run = { texts: [] as string[], nonce: Math.random().toString(36).slice(2) };
  const outer = collecting;
  collecting = run;
  let payload: string;
  try {
    payload = JSON.stringify(body);
  } finally {
    collecting = outer;
  }
  if (run.texts.length === 0) return payload;
  return payload.replace(new RegExp(`"\\\\u0000${run.nonce}:(\\d+)"`, "g"), (_match, n: string) => run.texts[Number(n)] ?? "null");
}

/** `value` as answered: its JsonText when `text` was recorded for this very value, else the value. */
export function withJsonText(value: unknown, text: JsonText | undefined): unknown {
  return text !== undefined && text.value === value ? text : value;
}

/** The text recorded for this very value, if any. */
export function jsonTextOf(value: unknown, text: JsonText | undefined): string | undefined {
  return text !== undefined && text.value === value ? text.text : undefined;
}
