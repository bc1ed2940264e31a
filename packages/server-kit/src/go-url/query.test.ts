import { describe, expect, it } from "vitest";
import { goParseQuery, goQueryParams, goValuesEncode, goValuesFirstNonEmpty, goValuesGet } from "./query";

/** net/url url.go ParseQuery, parseQuery, Values.Encode, Values.Get; the expected values are what Go printed. */
const asMap = (query: URLSearchParams) => Object.fromEntries([...new Set(query.keys())].map((key) => [key, query.getAll(key)]));

describe("goQueryParams (r.URL.Query())", () => {
  it("drops a pair with a `;` or a bad escape, keeps repeated keys in order, reads `+` as a space", () => {
    expect(asMap(goQueryParams("a=1&b=%zz&c;d=1&e=x+y&f=%41%2b&g&=h&a=2"))).toEqual({
      "": ["h"],
      a: ["1", "2"],
      e: ["x y"],
      f: ["A+"],
      g: [""],
    });
    expect(asMap(goQueryParams("x=%e2%82%ac&%zz=1&y=%"))).toEqual({ x: ["€"] });
    expect(asMap(goQueryParams("?&&k=v&&"))).toEqual({ k: ["v"] });
  });

  it("keeps the pairs in the order they came", () => {
    expect([...goQueryParams("b=1&a=2&b=3")]).toEqual([
      ["b", "1"],
      ["a", "2"],
      ["b", "3"],
    ]);
  });

  it("reads an escaped byte that is not UTF-8 as U+FFFD", () => {
    expect(goQueryParams("k=%ff").get("k")).toBe("\ufffd");
  });
});

describe("goParseQuery's errors (url.ParseQuery)", () => {
  it.each([
    ["a=1;b=2&c=%zz&d=4", { d: ["4"] }, "invalid semicolon separator in query"],
    // The semicolon error is assigned unconditionally: it replaces an earlier escape error.
    ["c=%zz&a;b&d=1", { d: ["1"] }, "invalid semicolon separator in query"],
    ["x=%2&y=%zz", {}, 'invalid URL escape "%2"'],
    ["", {}, undefined],
  ])("%j", (raw, values, error) => {
    const parsed = goParseQuery(raw);
    expect(Object.fromEntries(parsed.values)).toEqual(values);
    expect(parsed.error).toBe(error);
  });
});

/**
 * Go 1.26 (go.mod `go 1.26` in Kratos and Hydra v26.2.0) has the
 * urlmaxqueryparams GODEBUG, default 10000: urlParamsWithinMax(strings.Count(query, "&") + 1)
 * is checked before any pair, and a query over the limit parses to nothing.
 */
describe("url.ParseQuery's parameter limit (urlParamsWithinMax)", () => {
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join("&");

  it("parses 10000 parameters", () => {
    const parsed = goParseQuery(pairs(10_000));
    expect(parsed.error).toBeUndefined();
    expect(parsed.values.size).toBe(10_000);
  });

  it("refuses 10001 parameters whole: no pair is kept", () => {
    const parsed = goParseQuery(pairs(10_001));
    expect(parsed.error).toBe("number of URL query parameters exceeded limit");
    expect(parsed.values.size).toBe(0);
    expect([...goQueryParams(pairs(10_001))]).toEqual([]);
  });

  it("counts the `&` separators, empty pairs included", () => {
    const parsed = goParseQuery(`state=s${"&".repeat(10_000)}`);
    expect(parsed.error).toBe("number of URL query parameters exceeded limit");
    expect(parsed.values.size).toBe(0);
    expect(goParseQuery(`state=s${"&".repeat(9_999)}`).values.get("state")).toEqual(["s"]);
  });
});

describe("goValuesEncode (Values.Encode)", () => {
  it("sorts keys bytewise and QueryEscapes keys and values", () => {
    const values = new Map([
      ["b", ["2", "1"]],
      ["a b", ["x&y"]],
      ["\xff", ["z"]],
      ["Z", [""]],
    ]);
    expect(goValuesEncode(values)).toBe("Z=&a+b=x%26y&b=2&b=1&%FF=z");
    expect(goValuesGet(values, "b")).toBe("2");
    expect(goValuesGet(values, "missing")).toBe("");
  });
});

describe("goValuesFirstNonEmpty (cmp.Or(q[key]...))", () => {
  it("answers the first non-empty value, or an empty string", () => {
    const values = goParseQuery("a=&a=1&a=2&b=").values;
    expect(goValuesFirstNonEmpty(values, "a")).toBe("1");
    expect(goValuesFirstNonEmpty(values, "b")).toBe("");
    expect(goValuesFirstNonEmpty(values, "c")).toBe("");
    const params = goQueryParams("a=&a=x&b=");
    expect(goValuesFirstNonEmpty(params, "a")).toBe("x");
    expect(goValuesFirstNonEmpty(params, "b")).toBe("");
  });
});
