import { GoSyntaxError, scanGoJson } from "@olympus/server-kit/go-json";
import { RuntimeFailure } from "./errors";
import { JArray, JObject, Thunk, type Value } from "./values";

/**
 * std.parseJson as go-jsonnet v0.21 runs it (builtins.go builtinParseJSON): the string's UTF-8 bytes go through Go's
 * json.Unmarshal into an interface{}, whose error is wrapped as `failed to parse JSON: <Go's text>`, and the result
 * becomes a value (interpreter.go jsonToValue: numbers are float64, objects are Go maps).
 */

const failure = (text: string) => new RuntimeFailure(`failed to parse JSON: ${text}`);

/** A surrogate code unit without its other half: Go decodes an unpaired `\uD800` escape as U+FFFD (decode.go unquoteBytes). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const goString = (text: string) => text.replace(LONE_SURROGATE, "\uFFFD");

/**
 * The first number literal float64 cannot hold, in document order: decode.go convertNumber's strconv.ParseFloat
 * range error becomes an UnmarshalTypeError that Unmarshal reports after decoding the rest (saveError keeps the
 * first), even for a value a later repeated key replaces. `text` has already passed the scanner.
 */
function firstOverflow(text: string, step: () => void): string | undefined {
  for (let i = 0; i < text.length;) {
    step();
    const c = text[i] ?? "";
    if (c === '"') {
      i++;
      while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const start = i;
      while (i < text.length && /[-+.eE0-9]/.test(text[i] ?? "")) i++;
      const literal = text.slice(start, i);
      if (!Number.isFinite(Number(literal))) return literal;
    } else {
      i++;
    }
  }
  return undefined;
}

/**
 * jsonToValue of what JSON.parse made of a document Go's scanner accepted (repeated keys: the last wins, as in a Go
 * map). Elements convert when first read, which cannot fail, so a document nested as deep as Go's scanner allows
 * (10000 levels) is taken without deep recursion here.
 */
function toValue(data: unknown, step: () => void): Value {
  if (data === null || typeof data === "boolean" || typeof data === "number") return data;
  if (typeof data === "string") return goString(data);
  if (Array.isArray(data))
    return new JArray(
      data.map((e: unknown) => {
        step();
        return new Thunk(() => toValue(e, step));
      }),
    );
  if (typeof data === "object") {
    return JObject.fromEntries(
      Object.entries(data).map(([k, v]: [string, unknown]) => {
        step();
        return [goString(k), new Thunk(() => toValue(v, step))];
      }),
    );
  }
  throw new RuntimeFailure(`unreachable: JSON.parse made a ${typeof data}`);
}

/**
 * builtinParseJSON. `step` runs per character looked at and per value made: a long text runs no step the evaluator
 * counts, so the evaluation's deadline is looked at from here (StdContext.step).
 */
export function parseJsonAsGo(text: string, step: () => void): Value {
  // getGoString: a Jsonnet string's UTF-8 bytes, an unpaired surrogate written as U+FFFD (as Buffer writes it).
  const bytes = Buffer.from(text, "utf8");
  try {
    scanGoJson(bytes, "unmarshal");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw failure(error.message);
    throw error;
  }
  const overflow = firstOverflow(text, step);
  if (overflow !== undefined) throw failure(`json: cannot unmarshal number ${overflow} into Go value of type float64`);
  return toValue(JSON.parse(text), step);
}
