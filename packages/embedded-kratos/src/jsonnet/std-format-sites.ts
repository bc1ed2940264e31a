import type { NamedPlace } from "./stack";
import { stdSite } from "./std-frames";

/**
 * Where std.jsonnet's `format` (go-jsonnet v0.21's stdlib/std.jsonnet, lines 494–813) calls, reads and fails, with
 * the frame names go-jsonnet gives the code there: the positions std-format.ts walks through.
 */

const FORMAT = "function <anonymous>";
const FORMAT_ARG = "thunk from <function <anonymous>>";

/** Where format's body reads `vals` and calls the walker (std.jsonnet lines 808–813). */
export const TOP = {
  isArray: stdSite(808, 8, 25, FORMAT),
  isArrayVals: stdSite(808, 20, 24, FORMAT_ARG),
  parseCodes: stdSite(494, 19, 46, "thunk <codes> from <function <anonymous>>"),
};

/** The positions one walker (format_codes_arr or format_codes_obj) and the helpers it calls use. */
export interface Walker {
  /** format's call of the walker, and its `codes` argument. */
  call: NamedPlace;
  codesArg: NamedPlace;
  /** `std.length(codes)` and its `codes` variable, where the parsed codes are first read. */
  lengthCodes: NamedPlace;
  codesVar: NamedPlace;
  /** The tailstrict recursion after a literal and after a code, and its `s_padded` argument. */
  nextAfterText: NamedPlace;
  nextAfterCode: NamedPlace;
  sPaddedVar: NamedPlace;
  /** pad_left(s, fw, ' ') / pad_right(…) in `s_padded`, with their `s` and `fw` arguments. */
  padLeft: NamedPlace;
  padLeftS: NamedPlace;
  padLeftW: NamedPlace;
  padRight: NamedPlace;
  padRightS: NamedPlace;
  padRightW: NamedPlace;
  /** format_code(val, …) in `s`, with its `val` argument. */
  formatCode: NamedPlace;
  formatCodeVal: NamedPlace;
  /** Where `val` reads the value. */
  value: NamedPlace;
}

const ARR = "function <format_codes_arr>";
const ARR_ARG = "thunk from <function <format_codes_arr>>";
const OBJ = "function <format_codes_obj>";
const OBJ_ARG = "thunk from <function <format_codes_obj>>";
const padded = (walker: string) => `thunk <s_padded> from <function <${walker}>>`;
const paddedArg = (walker: string) => `thunk from <thunk <s_padded> from <function <${walker}>>>`;

const arrayWalker = (call: NamedPlace, codesArg: NamedPlace): Walker => ({
  call,
  codesArg,
  lengthCodes: stdSite(714, 15, 32, ARR),
  codesVar: stdSite(714, 26, 31, ARR_ARG),
  nextAfterText: stdSite(722, 11, 59, ARR),
  nextAfterCode: stdSite(765, 11, 64, ARR),
  sPaddedVar: stdSite(765, 55, 63, ARR_ARG),
  padLeft: stdSite(759, 15, 39, padded("format_codes_arr")),
  padLeftS: stdSite(759, 24, 25, paddedArg("format_codes_arr")),
  padLeftW: stdSite(759, 27, 33, paddedArg("format_codes_arr")),
  padRight: stdSite(757, 15, 40, padded("format_codes_arr")),
  padRightS: stdSite(757, 25, 26, paddedArg("format_codes_arr")),
  padRightW: stdSite(757, 28, 34, paddedArg("format_codes_arr")),
  formatCode: stdSite(754, 15, 60, "thunk <s> from <function <format_codes_arr>>"),
  formatCodeVal: stdSite(754, 27, 30, "thunk from <thunk <s> from <function <format_codes_arr>>>"),
  value: stdSite(747, 15, 22, "thunk <val> from <function <format_codes_arr>>"),
});

/** format_codes_arr(codes, vals, …) for an array, format_codes_arr(codes, [vals], …) for any other non-object. */
export const ARRAY_WALKER = arrayWalker(stdSite(809, 7, 46, FORMAT), stdSite(809, 24, 29, FORMAT_ARG));
export const WRAPPED_WALKER = arrayWalker(stdSite(813, 7, 48, FORMAT), stdSite(813, 24, 29, FORMAT_ARG));

export const OBJECT_WALKER: Walker = {
  call: stdSite(811, 7, 43, FORMAT),
  codesArg: stdSite(811, 24, 29, FORMAT_ARG),
  lengthCodes: stdSite(769, 15, 32, OBJ),
  codesVar: stdSite(769, 26, 31, OBJ_ARG),
  nextAfterText: stdSite(774, 11, 56, OBJ),
  nextAfterCode: stdSite(806, 11, 60, OBJ),
  sPaddedVar: stdSite(806, 51, 59, OBJ_ARG),
  padLeft: stdSite(805, 15, 35, padded("format_codes_obj")),
  padLeftS: stdSite(805, 24, 25, paddedArg("format_codes_obj")),
  padLeftW: stdSite(805, 27, 29, paddedArg("format_codes_obj")),
  padRight: stdSite(803, 15, 36, padded("format_codes_obj")),
  padRightS: stdSite(803, 25, 26, paddedArg("format_codes_obj")),
  padRightW: stdSite(803, 28, 30, paddedArg("format_codes_obj")),
  formatCode: stdSite(800, 15, 50, "thunk <s> from <function <format_codes_obj>>"),
  formatCodeVal: stdSite(800, 27, 30, "thunk from <thunk <s> from <function <format_codes_obj>>>"),
  value: stdSite(793, 15, 21, "thunk <val> from <function <format_codes_obj>>"),
};

/** The errors the walkers raise themselves. */
export const ERRORS = {
  tooMany: stdSite(716, 11, 86, ARR),
  notEnough: stdSite(749, 15, 103, "thunk <val> from <function <format_codes_arr>>"),
  starWidth: stdSite(727, 15, 101, "object <anonymous>"),
  starPrecision: stdSite(737, 15, 105, "object <anonymous>"),
  mappingKey: stdSite(778, 15, 45, "thunk <f> from <function <format_codes_obj>>"),
  objectStarWidth: stdSite(783, 15, 60, "thunk <fw> from <function <format_codes_obj>>"),
  objectStarPrecision: stdSite(788, 15, 58, "thunk <prec> from <function <format_codes_obj>>"),
  noSuchField: stdSite(795, 15, 42, "thunk <val> from <function <format_codes_obj>>"),
};

/** pad_left's and pad_right's body (lines 511–516): `padding(w - std.length(str), s)` then aux's first `w <= 0`. */
export const PAD = {
  left: {
    padding: stdSite(512, 7, 38, "function <pad_left>"),
    w: stdSite(512, 15, 16, "thunk from <function <pad_left>>"),
    length: stdSite(512, 19, 34, "thunk from <function <pad_left>>"),
    str: stdSite(512, 30, 33, "thunk from <thunk from <function <pad_left>>>"),
  },
  right: {
    strFirst: stdSite(516, 7, 10, "function <pad_right>"),
    padding: stdSite(516, 13, 44, "function <pad_right>"),
    w: stdSite(516, 21, 22, "thunk from <function <pad_right>>"),
    length: stdSite(516, 25, 40, "thunk from <function <pad_right>>"),
    str: stdSite(516, 36, 39, "thunk from <thunk from <function <pad_right>>>"),
  },
  aux: stdSite(508, 7, 17, "function <padding>"),
  auxW: stdSite(508, 11, 12, "thunk from <function <padding>>"),
  firstTest: stdSite(504, 12, 13, "function <aux>"),
};

const CODE = "function <format_code>";
const CODE_ARG = "thunk from <function <format_code>>";
/** format_code (lines 618–710): where each conversion first reads `val`, and its type error. */
const NUMERIC_CHECKS: Record<string, [check: number, error: number]> = {
  d: [626, 627],
  o: [632, 633],
  x: [639, 640],
  f: [651, 652],
  e: [663, 664],
  g: [676, 677],
};
/** Where a numeric conversion reads `val` (std.type(val)), and its `Format required number` error. */
export const numericCheck = (ctype: string) => {
  const [check, error] = NUMERIC_CHECKS[ctype] ?? [626, 627];
  return {
    call: stdSite(check, 12, 25, CODE),
    val: stdSite(check, 21, 24, CODE_ARG),
    error: stdSite(error, 11, 47, CODE, error + 1),
  };
};
export const STRING_TEXT = { call: stdSite(624, 9, 26, CODE), val: stdSite(624, 22, 25, CODE_ARG) };
export const CHAR = {
  type: stdSite(700, 12, 25, CODE),
  typeVal: stdSite(700, 21, 24, CODE_ARG),
  char: stdSite(701, 11, 24, CODE),
  notOne: stdSite(706, 13, 71, CODE),
  notNumberOrString: stdSite(708, 11, 69, CODE),
};
