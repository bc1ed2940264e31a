/**
 * The lexer of github.com/gobwas/glob v0.2.3 (syntax/lexer/lexer.go), step
 * for step, because its quirks decide which patterns compile and the error
 * text of those that do not:
 *
 * - a NUL rune is its end-of-input marker, so lexing stops at one;
 * - a U+FFFD (utf8.RuneError; a lone UTF-16 surrogate is one once Go holds
 *   the text) sets `could not read rune`, which a later error overwrites;
 * - a range (`[…]`) is read whole when its `[` is reached, and an error set
 *   there is returned before any of its tokens;
 * - an unclosed `{` and a trailing `\` are no errors.
 *
 * Positions count runes, not bytes; only their differences matter here.
 */

export type GlobTokenType =
  | "eof"
  | "error"
  | "text"
  | "any"
  | "super"
  | "single"
  | "not"
  | "separator"
  | "range_open"
  | "range_close"
  | "range_lo"
  | "range_hi"
  | "range_between"
  | "terms_open"
  | "terms_close";

export interface GlobToken {
  type: GlobTokenType;
  raw: string;
}

const EOF = 0;
const ANY = 0x2a; // *
const COMMA = 0x2c; // ,
const SINGLE = 0x3f; // ?
const ESCAPE = 0x5c; // \
const RANGE_OPEN = 0x5b; // [
const RANGE_CLOSE = 0x5d; // ]
const TERMS_OPEN = 0x7b; // {
const TERMS_CLOSE = 0x7d; // }
const RANGE_NOT = 0x21; // !
const RANGE_BETWEEN = 0x2d; // -
const RUNE_ERROR = 0xfffd;

const IN_TEXT_BREAKERS = [SINGLE, ANY, RANGE_OPEN, TERMS_OPEN];
const IN_TERMS_BREAKERS = [...IN_TEXT_BREAKERS, TERMS_CLOSE, COMMA];

const text = (rune: number) => String.fromCodePoint(rune);

export class GobwasGlobLexer {
  private readonly runes: number[];
  private pos = 0;
  private err: string | undefined;
  private readonly tokens: GlobToken[] = [];
  private termsLevel = 0;
  private lastRune = EOF;
  private lastRuneSize = 0;
  private hasRune = false;

  constructor(source: string) {
    // Lone surrogates are U+FFFD in the UTF-8 text Go holds.
    this.runes = Array.from(source, (ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code >= 0xd800 && code <= 0xdfff ? RUNE_ERROR : code;
    });
  }

  next(): GlobToken {
    for (;;) {
      if (this.err !== undefined) return { type: "error", raw: this.err };
      const queued = this.tokens.shift();
      if (queued) return queued;
      this.fetchItem();
    }
  }

  private peek(): [rune: number, width: number] {
    if (this.pos === this.runes.length) return [EOF, 0];
    const rune = this.runes[this.pos] ?? EOF;
    if (rune === RUNE_ERROR) {
      this.err = "could not read rune";
      return [EOF, 0];
    }
    return [rune, 1];
  }

  private read(): number {
    if (this.hasRune) {
      this.hasRune = false;
      this.pos += this.lastRuneSize;
      return this.lastRune;
    }
    const [rune, width] = this.peek();
    this.pos += width;
    this.lastRune = rune;
    this.lastRuneSize = width;
    return rune;
  }

  private unread(): void {
    if (this.hasRune) {
      this.err = "could not unread rune";
      return;
    }
    this.pos -= this.lastRuneSize;
    this.hasRune = true;
  }

  private push(type: GlobTokenType, raw: string): void {
    this.tokens.push({ type, raw });
  }

  private fetchItem(): void {
    const rune = this.read();
    if (rune === EOF) this.push("eof", "");
    else if (rune === TERMS_OPEN) {
      this.termsLevel++;
      this.push("terms_open", "{");
    } else if (rune === COMMA && this.termsLevel > 0) this.push("separator", ",");
    else if (rune === TERMS_CLOSE && this.termsLevel > 0) {
      this.push("terms_close", "}");
      this.termsLevel--;
    } else if (rune === RANGE_OPEN) {
      this.push("range_open", "[");
      this.fetchRange();
    } else if (rune === SINGLE) this.push("single", "?");
    else if (rune === ANY) {
      if (this.read() === ANY) this.push("super", "**");
      else {
        this.unread();
        this.push("any", "*");
      }
    } else {
      this.unread();
      this.fetchText(this.termsLevel > 0 ? IN_TERMS_BREAKERS : IN_TEXT_BREAKERS);
    }
  }

  private fetchRange(): void {
    let wantHi = false;
    let wantClose = false;
    let seenNot = false;
    for (;;) {
      const rune = this.read();
      if (rune === EOF) {
        this.err = "unexpected end of input";
        return;
      }
      if (wantClose) {
        if (rune !== RANGE_CLOSE) this.err = "expected close range character";
        else this.push("range_close", "]");
        return;
      }
      if (wantHi) {
        this.push("range_hi", text(rune));
        wantClose = true;
        continue;
      }
      if (!seenNot && rune === RANGE_NOT) {
        this.push("not", "!");
        seenNot = true;
        continue;
      }
      const [next, width] = this.peek();
      if (next === RANGE_BETWEEN) {
        this.pos += width;
        this.push("range_lo", text(rune));
        this.push("range_between", "-");
        wantHi = true;
        continue;
      }
      this.unread();
      this.fetchText([RANGE_CLOSE]);
      wantClose = true;
    }
  }

  private fetchText(breakers: readonly number[]): void {
    let data = "";
    let escaped = false;
    for (;;) {
      const rune = this.read();
      if (rune === EOF) break;
      if (!escaped) {
        if (rune === ESCAPE) {
          escaped = true;
          continue;
        }
        if (breakers.includes(rune)) {
          this.unread();
          break;
        }
      }
      escaped = false;
      data += text(rune);
    }
    if (data !== "") this.push("text", data);
  }
}
