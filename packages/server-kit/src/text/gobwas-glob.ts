import { goQuote } from "../go-strconv/quote";
import { GobwasGlobLexer, type GlobToken } from "./gobwas-glob-lexer";

/**
 * Origin patterns as github.com/gobwas/glob v0.2.3 compiles them with `.` as
 * the separator (x/oauth2cors Middleware): `*` is any run of characters
 * without a `.`, `**` any run at all, `?` one character that is not a `.`,
 * `[abc]` / `[a-z]` / `[!abc]` one character of (or not of) a class,
 * `{a,b}` one of the alternatives (each itself a pattern), `\` escapes the
 * next character. A pattern that does not compile (unclosed `[` or `{`, a
 * trailing `\`) returns undefined: Hydra skips such an origin.
 * `separators` are the characters `*` and `?` do not cross (ory/x httpx
 * compiles its private-IP exception URLs with `.` and `/`).
 */
export function compileGlob(pattern: string, separators = "."): RegExp | undefined {
  if (gobwasGlobError(pattern) !== undefined) return undefined;
  const notSeparator = `[^${[...separators].map(escapeRegex).join("")}]`;
  const parsed = parseSequence(pattern, 0, false, notSeparator);
  if (!parsed || parsed.end !== pattern.length) return undefined;
  try {
    return new RegExp(`^${parsed.source}$`, "s");
  } catch {
    // A range such as [z-a].
    return undefined;
  }
}

const escapeRegex = (char: string) => char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

interface Parsed {
  source: string;
  end: number;
}

/** A sequence up to the end, or (inside `{…}`) up to the next top-level `,` or `}`. */
function parseSequence(pattern: string, start: number, inAlternatives: boolean, notSeparator: string): Parsed | undefined {
  let source = "";
  let i = start;
  while (i < pattern.length) {
    const char = pattern.charAt(i);
    if (inAlternatives && (char === "," || char === "}")) break;
    if (char === "\\") {
      if (i + 1 >= pattern.length) return undefined;
      source += escapeRegex(pattern.charAt(i + 1));
      i += 2;
    } else if (char === "*") {
      if (pattern.charAt(i + 1) === "*") {
        source += ".*";
        i += 2;
      } else {
        source += `${notSeparator}*`;
        i += 1;
      }
    } else if (char === "?") {
      source += notSeparator;
      i += 1;
    } else if (char === "[") {
      const range = parseClass(pattern, i + 1);
      if (!range) return undefined;
      source += range.source;
      i = range.end;
    } else if (char === "{") {
      const alternatives: string[] = [];
      let next = i + 1;
      for (;;) {
        const alternative = parseSequence(pattern, next, true, notSeparator);
        if (!alternative || alternative.end >= pattern.length) return undefined;
        alternatives.push(alternative.source);
        next = alternative.end + 1;
        if (pattern.charAt(alternative.end) === "}") break;
      }
      source += `(?:${alternatives.join("|")})`;
      i = next;
    } else {
      source += escapeRegex(char);
      i += 1;
    }
  }
  return { source, end: i };
}

/** `[…]` after its `[`: a list or `a-z` ranges, `!` first negates; ends after `]`. */
function parseClass(pattern: string, start: number): Parsed | undefined {
  const close = pattern.indexOf("]", start);
  if (close === -1) return undefined;
  let body = pattern.slice(start, close);
  const negated = body.startsWith("!");
  if (negated) body = body.slice(1);
  if (body === "") return undefined;
  let source = "";
  for (let i = 0; i < body.length; i += 1) {
    const char = body.charAt(i);
    if (body.charAt(i + 1) === "-" && i + 2 < body.length) {
      source += `${escapeRegex(char)}-${escapeRegex(body.charAt(i + 2))}`;
      i += 2;
    } else source += escapeRegex(char);
  }
  return { source: `[${negated ? "^" : ""}${source}]`, end: close + 1 };
}

/**
 * The error glob.Compile returns for `pattern`, in gobwas' words, or
 * undefined when it compiles (syntax/ast/parser.go Parse over the lexer:
 * `unexpected end of input`, `expected close range character`, `could not
 * parse range`, `hi character 'a' should be greater than lo 'z'`, …).
 */
export function gobwasGlobError(pattern: string): string | undefined {
  const lexer = new GobwasGlobLexer(pattern);
  for (;;) {
    const token = lexer.next();
    switch (token.type) {
      case "eof":
        return undefined;
      case "error":
        return token.raw;
      case "range_open": {
        const error = rangeError(lexer);
        if (error !== undefined) return error;
        break;
      }
      case "text":
      case "any":
      case "super":
      case "single":
      case "terms_open":
      case "separator":
      case "terms_close":
        break;
      default:
        return unexpectedToken(token);
    }
  }
}

/** parserRange: the tokens of one `[…]` up to its `]`, and what it refuses. */
function rangeError(lexer: GobwasGlobLexer): string | undefined {
  let lo = 0;
  let hi = 0;
  let chars = "";
  for (;;) {
    const token = lexer.next();
    switch (token.type) {
      case "eof":
        return "unexpected end";
      case "error":
        return token.raw;
      case "range_lo":
        lo = token.raw.codePointAt(0) ?? 0;
        break;
      case "range_hi":
        hi = token.raw.codePointAt(0) ?? 0;
        if (hi < lo) return `hi character '${token.raw}' should be greater than lo '${String.fromCodePoint(lo)}'`;
        break;
      case "text":
        chars = token.raw;
        break;
      case "range_close":
        // A range needs both ends (neither the NUL rune) or a list, not both and not neither.
        return (lo !== 0 && hi !== 0) === (chars !== "") ? "could not parse range" : undefined;
      default:
        break;
    }
  }
}

/** lexer.Token's String: `type<"raw">`. */
const unexpectedToken = (token: GlobToken) => `unexpected token: ${token.type}<${goQuote(token.raw)}>`;
