import { describe, expect, it } from "vitest";
import { gjsonGet, gjsonInt, goParseFloat } from "./gjson";

/**
 * tidwall/gjson v1.18.0 gjson.go: Get (a plain key: the first `{`, then
 * parseObject, parseString, parseSquash, parseNumber, parseLiteral) and
 * Result.Int (safeInt, parseInt); strconv.ParseFloat for Number values.
 */
const offsetOf = (text: string) => gjsonInt(gjsonGet(text, "offset"));

describe("gjson Get(text, key).Int() on any text (gjson.go Get, parseObject, Result.Int)", () => {
  it("reads JSON as JSON", () => {
    expect(offsetOf('{"offset":"3","v":2}')).toBe(3n);
    expect(offsetOf('{ "v": 2, "offset": 42 }')).toBe(42n);
    expect(offsetOf('{"offset":3.9}')).toBe(3n);
    expect(offsetOf('{"offset":-2.5}')).toBe(-2n);
    expect(offsetOf('{"offset":true}')).toBe(1n);
    expect(offsetOf('{"offset":false}')).toBe(0n);
    expect(offsetOf('{"offset":null}')).toBe(0n);
    expect(offsetOf('{"offset":{"offset":5}}')).toBe(0n);
    expect(offsetOf('{"v":2}')).toBe(0n);
  });

  it("skips to the first `{`, needs no colon or comma, and never reads past the value it finds", () => {
    expect(offsetOf('garbage{"offset":4}')).toBe(4n);
    expect(offsetOf('{"offset":"7"}trailing garbage')).toBe(7n);
    expect(offsetOf('{"offset":5,')).toBe(5n);
    expect(offsetOf('{"offset" 6 this is not json')).toBe(6n);
    expect(offsetOf('{"a" 1 "offset" 9')).toBe(9n);
    // Numbers end at whitespace, `,`, `]` or `}`: the text before is ParseFloat's, which refuses `5x` (0).
    expect(offsetOf('{"offset":5x}')).toBe(0n);
    // A `[` before any `{`: an array has no key named offset.
    expect(offsetOf('[{"offset":1}]')).toBe(0n);
    // The first object's `}` ends the search.
    expect(offsetOf('{"x":1}{"offset":5}')).toBe(0n);
    // An unterminated key or string value is nothing.
    expect(offsetOf('{"offset')).toBe(0n);
    expect(offsetOf('{"offset":"12')).toBe(0n);
  });

  it("finds only top-level keys: nested values are squashed, strings inside them skipped", () => {
    expect(offsetOf('{"a":{"offset":9},"offset":2}')).toBe(2n);
    expect(offsetOf('{"a":{"offset":9}}')).toBe(0n);
    expect(offsetOf('{"a":[1,{"b":"}]"}],"offset":11}')).toBe(11n);
    // Parentheses count as brackets in parseSquash.
    expect(offsetOf('{"a":[(],"offset":1}')).toBe(0n);
    // A key's value is consumed: "offset" as a value is no key.
    expect(offsetOf('{"a":"offset","b":1}')).toBe(0n);
    expect(offsetOf('{"a":"x\\"offset\\":1","offset":3}')).toBe(3n);
  });

  it("unescapes keys and string values", () => {
    expect(offsetOf('{"off\\u0073et":8}')).toBe(8n);
    expect(offsetOf('{"offset":"\\u0031\\u0032"}')).toBe(12n);
    // unescape stops at an unknown escape: "1" is what is left.
    expect(offsetOf('{"offset":"1\\x2"}')).toBe(1n);
  });

  it("Int(): strings only as -?digits (wrapping in int64), numbers by safeInt, their raw digits, then int64(f)", () => {
    expect(offsetOf('{"offset":" 3"}')).toBe(0n);
    expect(offsetOf('{"offset":"+3"}')).toBe(0n);
    expect(offsetOf('{"offset":"-3"}')).toBe(-3n);
    expect(offsetOf('{"offset":"99999999999999999999"}')).toBe(7766279631452241919n);
    expect(offsetOf('{"offset":9007199254740993}')).toBe(9007199254740993n);
    expect(offsetOf('{"offset":12345678901234567890}')).toBe(-6101065172474983726n);
    expect(offsetOf('{"offset":1e300}')).toBe(-(1n << 63n));
    expect(offsetOf('{"offset":nan}')).toBe(-(1n << 63n));
    expect(offsetOf('{"offset":+5}')).toBe(5n);
    expect(offsetOf('{"offset":2e3}')).toBe(2000n);
  });
});

describe("strconv.ParseFloat with its error ignored (atof.go)", () => {
  it("parses Go's float syntax and answers 0 for the rest", () => {
    expect(goParseFloat("1_000")).toBe(1000);
    expect(goParseFloat("1__0")).toBe(0);
    expect(goParseFloat("0x1p4")).toBe(16);
    expect(goParseFloat("0x1.8p1")).toBe(3);
    expect(goParseFloat("0x10")).toBe(0);
    expect(goParseFloat("-Infinity")).toBe(-Infinity);
    expect(goParseFloat("infx")).toBe(0);
    expect(goParseFloat("5.")).toBe(5);
    expect(goParseFloat(".5")).toBe(0.5);
    expect(goParseFloat("1e")).toBe(0);
    expect(goParseFloat("1e400")).toBe(Infinity);
  });
});
