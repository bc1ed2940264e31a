import { goCompactRawText, goEscapeStringified } from "@olympus/server-kit/go-json";

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

/**
 * encoding/json Compact without HTML escaping, the text kept: whitespace
 * outside strings is dropped, everything else stays as written (the
 * encoder's HTML escaping is applied when an answer is written, see
 * stringifyJson). The text must be valid JSON. Copies the runs between
 * whitespace whole: every whoami compacts its identity's jsonb text
 * (`{"a": 1, "b": 2}`).
 */
export function compactJson(text: string): string {
  let out = "";
  let runStart = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      if (i > runStart) out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

/**
 * json.Marshal's bytes (Go encode.go; HTML escaping unless `escapeHtml` is
 * false, herodot.UnescapedHTML): JSON.stringify rewritten as Go writes
 * strings (server-kit goEscapeStringified), with each JsonText written as
 * its text through appendCompact (goCompactRawText). toJSON leaves a
 * placeholder no other JSON.stringify output can hold (a string of its own
 * made of a NUL and a per-call nonce, which the rewrite leaves alone), which
 * is replaced by the text. JSON.stringify writes the placeholders in the
 * order it called toJSON, so one forward scan finds them all (a RegExp built
 * per call would be compiled per call: whoami answers through here).
 */
export function stringifyJson(body: unknown, escapeHtml = true): string {
  const run = { texts: [] as string[], nonce: Math.random().toString(36).slice(2) };
  const outer = collecting;
  collecting = run;
  let payload: string;
  try {
    payload = goEscapeStringified(JSON.stringify(body) ?? "null", escapeHtml);
  } finally {
    collecting = outer;
  }
  if (run.texts.length === 0) return payload;
  let answer = "";
  let from = 0;
  run.texts.forEach((text, index) => {
    // JSON.stringify writes the placeholder's NUL as `\u0000`.
    const placeholder = `"\\u0000${run.nonce}:${index}"`;
    const at = payload.indexOf(placeholder, from);
    if (at < 0) return;
    answer += payload.slice(from, at) + goCompactRawText(text, escapeHtml);
    from = at + placeholder.length;
  });
  return answer + payload.slice(from);
}

/** `value` as answered: its JsonText when `text` was recorded for this very value, else the value. */
export function withJsonText(value: unknown, text: JsonText | undefined): unknown {
  return text !== undefined && text.value === value ? text : value;
}

/** The text recorded for this very value, if any. */
export function jsonTextOf(value: unknown, text: JsonText | undefined): string | undefined {
  return text !== undefined && text.value === value ? text.text : undefined;
}

/**
 * A deep copy of decoded JSON (arrays, objects, primitives) that keeps each
 * JsonText itself, as it is immutable: structuredClone would turn one into a
 * plain `{text, value}` object, answered and stored as such. Anything else
 * non-plain is left to structuredClone.
 */
export function copyKeepingJsonTexts<T>(value: T): T {
  return copyJson(value) as T;
}

function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null || value instanceof JsonText) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, copyJson(entry)]));
}
