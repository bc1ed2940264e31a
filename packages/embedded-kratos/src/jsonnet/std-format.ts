import { asNumber, formatCode, padLeft, padRight, parseCodes, type Code } from "./format";
import type { NamedPlace } from "./stack";
import { isTypeTraced, type StdCode, stdSite } from "./std-frames";
import {
  ARRAY_WALKER,
  CHAR,
  ERRORS,
  numericCheck,
  OBJECT_WALKER,
  PAD,
  STRING_TEXT,
  TOP,
  WRAPPED_WALKER,
  type Walker,
} from "./std-format-sites";
import { charOf } from "./std-support";
import { JArray, JObject, Thunk, toStringValue, typeName, type Value } from "./values";

/**
 * std.format(str, vals) with the frames go-jsonnet shows for it: std.jsonnet's `format` chooses format_codes_arr or
 * format_codes_obj (one call frame), which walk the parsed codes by tailstrict recursion (each step's frame replaces
 * the previous one), and each code's text is computed only when the next step's arguments are forced: `s_padded`
 * (pad_left / pad_right, whose `padding` reads the code's text `s` through std.length), `s` (format_code) and `val`
 * (the value, or the "Not enough values" error). The rendering itself is format.ts's.
 */

/** The value a code formats, read inside format_code where its conversion first needs it. */
function readValue(std: StdCode, code: Code, val: Thunk): Value {
  if (code.ctype === "s") return std.argument(STRING_TEXT.call, STRING_TEXT.val, val);
  if (code.ctype === "c") return std.argument(CHAR.type, CHAR.typeVal, val);
  const check = numericCheck(code.ctype);
  return std.argument(check.call, check.val, val);
}

/** format_code's result for `code`, its type errors raised where std.jsonnet raises them. */
function formatCodeBody(std: StdCode, code: Code, val: Thunk, fw: Thunk, prec: Thunk, at: number | string): string {
  const value = readValue(std, code, val);
  // std.toString (builtinToString) manifests the value with the evaluation's frames.
  if (code.ctype === "s") return std.at(STRING_TEXT.call, () => toStringValue(value, std.stack.manifesting));
  if (code.ctype === "c") {
    if (typeof value === "number") return std.at(CHAR.char, () => charOf(value));
    if (typeof value === "string") {
      const length = Array.from(value).length;
      if (length === 1) return value;
      return std.fail(CHAR.notOne, `%c expected 1-sized string got: ${length}`);
    }
    return std.fail(CHAR.notNumberOrString, `%c expected number / string, got: ${typeName(value)}`);
  }
  if (typeof value !== "number") {
    return std.fail(numericCheck(code.ctype).error, `Format required number at ${at}, got ${typeName(value)}`);
  }
  const given = prec.get();
  const precision = given === null ? null : asNumber(given);
  // format_code reads its width only to zero-pad (`zp`).
  const width = code.flags.zero && !code.flags.left ? asNumber(fw.get()) : 0;
  return formatCode(value, code, width, precision, at);
}

/** `s_padded`: pad_left / pad_right of the code's text `s` to the width `fw`, read as std.jsonnet reads them. */
function paddedText(std: StdCode, walker: Walker, code: Code, s: Thunk, fw: Thunk): string {
  // aux(w, '') first tests `w <= 0`: that forces padding's `w`, which is `w - std.length(str)`.
  const width = (side: typeof PAD.left, w: Thunk, str: Thunk) =>
    std.call(side.padding, () =>
      std.call(PAD.aux, () => {
        const paddingW = std.lazy(() => {
          const total = asNumber(std.read(side.w, w));
          const length = Array.from(toStringValue(std.argument(side.length, side.str, str))).length;
          return total - length;
        });
        return std.read(PAD.firstTest, std.variable(PAD.auxW, paddingW));
      }),
    );
  if (code.flags.left) {
    const str = std.variable(walker.padRightS, s);
    const w = std.variable(walker.padRightW, fw);
    return std.call(walker.padRight, () => {
      const text = toStringValue(std.read(PAD.right.strFirst, str));
      width(PAD.right, w, str);
      return padRight(text, asNumber(w.get()), " ");
    });
  }
  const str = std.variable(walker.padLeftS, s);
  const w = std.variable(walker.padLeftW, fw);
  return std.call(walker.padLeft, () => {
    width(PAD.left, w, str);
    return padLeft(toStringValue(str.get()), asNumber(w.get()), " ");
  });
}

/** What a walker needs per code: the value thunk, the width and precision, and the index format_code reports. */
interface Slot {
  val: Thunk;
  fw: Thunk;
  prec: Thunk;
  at: number | string;
}

/** Walks the codes as format_codes_arr / format_codes_obj do; `slot` gives a code's value, width and precision. */
function walk(std: StdCode, walker: Walker, codes: () => (string | Code)[], slot: (code: Code) => Slot, end: () => void): string {
  // format_codes_arr / format_codes_obj's call ends format's body: a `tailstrict` caller's frame goes first.
  return std.tailCall(walker.call, () => {
    // `std.length(codes)` forces the walker's `codes` argument, which forces format's `local codes`.
    const list = std.call(walker.lengthCodes, () =>
      std.at(walker.codesVar, () => std.body(() => std.at(walker.codesArg, () => std.body(codes)))),
    );
    let out = "";
    // Each step after the first runs in the frame its tailstrict call pushed, which replaces the previous step's.
    let from: NamedPlace | undefined;
    let pending: (() => string) | undefined;
    for (let i = 0; i <= list.length; i++) {
      if (pending) {
        const text = pending;
        out += std.call(walker.nextAfterCode, () => toStringValue(std.read(walker.sPaddedVar, std.lazy(text))));
        pending = undefined;
      }
      const step = (): void => {
        const code = list[i];
        if (code === undefined) return end();
        if (typeof code === "string") {
          out += code;
          from = walker.nextAfterText;
          return;
        }
        const { val, fw, prec, at } = slot(code);
        from = walker.nextAfterCode;
        if (code.ctype === "%") {
          pending = () => (code.flags.left ? padRight("%", asNumber(fw.get()), " ") : padLeft("%", asNumber(fw.get()), " "));
          return;
        }
        const s = std.lazy(() =>
          std.call(walker.formatCode, () => formatCodeBody(std, code, std.variable(walker.formatCodeVal, val), fw, prec, at)),
        );
        pending = () => paddedText(std, walker, code, s, fw);
      };
      if (from) std.call(from, step);
      else step();
    }
    return out;
  });
}

const PARSE_CODES_LENGTH = stdSite(484, 15, 30, "function <parse_codes>");
const PARSE_CODES_INDEX = stdSite(487, 19, 25, "thunk <c> from <function <parse_codes>>");
const PARSE_CODES_FIRST_TEST = stdSite(488, 12, 13, "function <parse_codes>");

/**
 * format's `local codes`: parse_codes' result (its errors are raised inside parse_codes' call, without its inner
 * frames). parse_codes reads any template std.length measures with `str[i]`: a string by characters, an array by
 * elements (so `std.format(['a', '%', 'd'], [3])` is "a3"); an object or a function of no length is an empty
 * template, and a longer one cannot be indexed by a number.
 */
const parsedCodes = (std: StdCode, str: Thunk) => (): (string | Code)[] =>
  std.call(TOP.parseCodes, () => {
    const template = str.get();
    if (typeof template === "string") return parseCodes(Array.from(template));
    if (template instanceof JArray) return parseCodes(template.elements);
    // parse_codes' first test, `i >= std.length(str)` (line 484), refuses what has no length (builtinLength).
    if (template === null || typeof template === "number" || typeof template === "boolean") {
      return std.fail(PARSE_CODES_LENGTH, `Unexpected type ${typeName(template)}`);
    }
    const length =
      template instanceof JObject ? template.visibleFields().length : template.params.filter((param) => !param.hasDefault).length;
    if (length === 0) return parseCodes([]);
    // `str[0]` (line 487), read by `c == '%'` (line 488): evalIndex's refusals of a number index.
    const refusal = template instanceof JObject ? "Unexpected type number, expected string" : "Value non indexable: *jsonnet.valueFunction";
    return std.call(PARSE_CODES_FIRST_TEST, () => std.fail(PARSE_CODES_INDEX, refusal));
  });

/** std.format(str, vals) run from its call's frame. */
export function formatTraced(std: StdCode, str: Thunk, vals: Thunk): string {
  // std.isArray is std.jsonnet code: its frame and its std.type call show on the trace when `vals` fails.
  isTypeTraced(std, "array", TOP.isArray, TOP.isArrayVals, vals);
  const values = vals.get();
  if (values instanceof JObject) return formatObject(std, parsedCodes(std, str), values);
  const elements = values instanceof JArray ? values.elements : [Thunk.of(values)];
  const walker = values instanceof JArray ? ARRAY_WALKER : WRAPPED_WALKER;
  let j = 0;
  // A `*` width or precision takes the next value; format_codes_arr's `tmp` / `tmp2` read it (or fail) when used.
  const star = (site: NamedPlace): Thunk => {
    const at = j++;
    return std.lazy(() => {
      const element = elements[at];
      return element ? element.get() : std.fail(site, `Not enough values to format: ${elements.length}, expected at least ${at}`);
    });
  };
  return walk(
    std,
    walker,
    parsedCodes(std, str),
    (code) => {
      const fw = code.fw === "*" ? star(ERRORS.starWidth) : Thunk.of(code.fw);
      const prec = code.prec === "*" ? star(ERRORS.starPrecision) : Thunk.of(code.prec);
      const index = j;
      if (code.ctype === "%") return { val: Thunk.of(null), fw, prec, at: index };
      j++;
      const val = std.lazy(() => {
        const element = elements[index];
        if (element) return std.read(walker.value, element);
        return std.fail(ERRORS.notEnough, `Not enough values to format: ${elements.length}, expected more than ${index}`);
      });
      return { val, fw, prec, at: index };
    },
    () => {
      if (j < elements.length) std.fail(ERRORS.tooMany, `Too many values to format: ${elements.length}, expected ${j}`);
    },
  );
}

function formatObject(std: StdCode, codes: () => (string | Code)[], values: JObject): string {
  return walk(
    std,
    OBJECT_WALKER,
    codes,
    (code) => {
      const key = code.mkey;
      if (key === null) return std.fail(ERRORS.mappingKey, "Mapping keys required.");
      if (code.fw === "*") return std.fail(ERRORS.objectStarWidth, "Cannot use * field width with object.");
      if (code.prec === "*") return std.fail(ERRORS.objectStarPrecision, "Cannot use * precision with object.");
      const val = std.lazy(() =>
        values.hasField(key) ? std.at(OBJECT_WALKER.value, () => values.get(key)) : std.fail(ERRORS.noSuchField, `No such field: ${key}`),
      );
      return { val, fw: Thunk.of(code.fw), prec: Thunk.of(code.prec), at: key };
    },
    () => undefined,
  );
}
