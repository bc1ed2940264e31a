import { goQuotedRune } from "../go-strconv/quote";

/**
 * Go's encoding/json syntax checking (scanner.go) for request bodies, so a
 * body that does not parse is refused with the text Ory's servers answer:
 * `invalid character 'x' after object key`, `unexpected EOF`, ...
 *
 * Two readers differ in how they treat the end of the input:
 * - `decoder` is json.Decoder.Decode (readValue): only whitespace is `EOF`,
 *   a value cut short is `unexpected EOF`, and whatever follows the first
 *   value is left unread;
 * - `unmarshal` is json.Unmarshal (checkValid): a value cut short (or no
 *   value) is `unexpected end of JSON input`, and anything but whitespace
 *   after the value is `invalid character 'x' after top-level value`.
 */

export type GoReader = "decoder" | "unmarshal";

export class GoSyntaxError extends Error {
  override name = "GoSyntaxError";
}

/** strconv.Quote of one byte taken as a rune, in single quotes (scanner.go quoteChar). */
function goQuoteChar(byte: number): string {
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  return `'${goQuotedRune(byte)}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** What the scanner waits for after a complete value, by the container it is in. */
type Container = "object" | "array";

const invalid = (byte: number, context: string) => new GoSyntaxError(`invalid character ${goQuoteChar(byte)} ${context}`);

/**
 * Checks the first JSON value of `bytes` as Go's scanner does and returns
 * the offset just past it; throws a GoSyntaxError with Go's text otherwise.
 * Iterative, so deeply nested input cannot exhaust the stack.
 */
export function scanGoJson(bytes: Uint8Array, reader: GoReader): number {
  const n = bytes.length;
  /**
   * The input ended. Decode answers `unexpected EOF`; checkValid feeds the
   * scanner one more space first, which some states refuse (`context`).
   */
  const truncated = (context?: string) =>
    new GoSyntaxError(
      reader === "decoder" ? "unexpected EOF" : context ? `invalid character ' ' ${context}` : "unexpected end of JSON input",
    );
  const stack: Container[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < n && isSpace(bytes[i] as number)) i++;
  };

  skipSpace();
  if (i === n) throw new GoSyntaxError(reader === "decoder" ? "EOF" : "unexpected end of JSON input");

  // `value` expects the beginning of a value; `arrayStart` also accepts `]` right after `[`.
  let expect: "value" | "arrayStart" = "value";
  for (;;) {
    // Read one value (or open a container).
    skipSpace();
    if (i === n) throw truncated();
    const c = bytes[i] as number;
    if (expect === "arrayStart" && c === 0x5d) {
      i++;
      stack.pop();
    } else if (c === 0x7b) {
      i++;
      push("object", c);
      skipSpace();
      if (i === n) throw truncated();
      const k = bytes[i] as number;
      if (k === 0x7d) {
        i++;
        stack.pop();
      } else {
        if (k !== 0x22) throw invalid(k, "looking for beginning of object key string");
        readKeyAndColon();
        expect = "value";
        continue;
      }
    } else if (c === 0x5b) {
      i++;
      push("array", c);
      expect = "arrayStart";
      continue;
    } else if (c === 0x22) {
      i++;
      readStringRest();
    } else if (c === 0x2d || isDigit(c)) {
      const done = readNumber();
      // A top-level number ends at the end of the input (Go feeds the scanner a final space).
      if (done === "eof") {
        if (stack.length === 0) return i;
        throw truncated();
      }
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      readLiteral(c === 0x74 ? "true" : c === 0x66 ? "false" : "null");
    } else {
      throw invalid(c, "looking for beginning of value");
    }

    // After a complete value: close containers or move on to the next element.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return afterTopLevel();
      skipSpace();
      if (i === n) throw truncated();
      const d = bytes[i] as number;
      if (top === "object") {
        if (d === 0x2c) {
          i++;
          skipSpace();
          if (i === n) throw truncated();
          const k = bytes[i] as number;
          if (k !== 0x22) throw invalid(k, "looking for beginning of object key string");
          readKeyAndColon();
          expect = "value";
          break;
        }
        if (d === 0x7d) {
          i++;
          stack.pop();
          continue;
        }
        throw invalid(d, "after object key:value pair");
      }
      if (d === 0x2c) {
        i++;
        expect = "value";
        break;
      }
      if (d === 0x5d) {
        i++;
        stack.pop();
        continue;
      }
      throw invalid(d, "after array element");
    }
  }

  /** scanner.go pushParseState: more than maxNestingDepth (10000) open containers is an error. */
  function push(container: Container, byte: number): void {
    stack.push(container);
    if (stack.length > 10_000) throw invalid(byte, "exceeded max depth");
  }

  function afterTopLevel(): number {
    if (reader === "decoder") return i;
    const end = i;
    skipSpace();
    if (i < n) throw invalid(bytes[i] as number, "after top-level value");
    return end;
  }

  /** At the opening quote of a key: the key, whitespace and the colon. */
  function readKeyAndColon(): void {
    i++;
    readStringRest();
    skipSpace();
    if (i === n) throw truncated();
    const c = bytes[i] as number;
    if (c !== 0x3a) throw invalid(c, "after object key");
    i++;
  }

  /** After an opening quote: up to and including the closing one. */
  function readStringRest(): void {
    for (;;) {
      if (i === n) throw truncated();
      const c = bytes[i++] as number;
      if (c === 0x22) return;
      if (c < 0x20) throw invalid(c, "in string literal");
      if (c !== 0x5c) continue;
      if (i === n) throw truncated("in string escape code");
      const e = bytes[i++] as number;
      if (e === 0x75) {
        for (let h = 0; h < 4; h++) {
          if (i === n) throw truncated("in \\u hexadecimal character escape");
          const x = bytes[i++] as number;
          if (!isHex(x)) throw invalid(x, "in \\u hexadecimal character escape");
        }
      } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) {
        throw invalid(e, "in string escape code");
      }
    }
  }

  /** A number; "eof" when the input ends right after a complete one. */
  function readNumber(): "done" | "eof" {
    if (bytes[i] === 0x2d) {
      i++;
      if (i === n) throw truncated("in numeric literal");
      if (!isDigit(bytes[i] as number)) throw invalid(bytes[i] as number, "in numeric literal");
    }
    if (bytes[i] === 0x30) i++;
    else while (i < n && isDigit(bytes[i] as number)) i++;
    if (i === n) return "eof";
    if (bytes[i] === 0x2e) {
      i++;
      if (i === n) throw truncated("after decimal point in numeric literal");
      if (!isDigit(bytes[i] as number)) throw invalid(bytes[i] as number, "after decimal point in numeric literal");
      while (i < n && isDigit(bytes[i] as number)) i++;
      if (i === n) return "eof";
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      i++;
      if (i === n) throw truncated("in exponent of numeric literal");
      if (bytes[i] === 0x2b || bytes[i] === 0x2d) {
        i++;
        if (i === n) throw truncated("in exponent of numeric literal");
      }
      if (!isDigit(bytes[i] as number)) throw invalid(bytes[i] as number, "in exponent of numeric literal");
      while (i < n && isDigit(bytes[i] as number)) i++;
      if (i === n) return "eof";
    }
    return "done";
  }

  function readLiteral(word: "true" | "false" | "null"): void {
    i++;
    for (let k = 1; k < word.length; k++) {
      const context = `in literal ${word} (expecting ${goQuoteChar(word.charCodeAt(k))})`;
      if (i === n) throw truncated(context);
      const c = bytes[i] as number;
      if (c !== word.charCodeAt(k)) throw invalid(c, context);
      i++;
    }
  }
}
