import { describe, expect, it } from "vitest";
import { goBytes, goPathEscape, goPathUnescape, goQueryEscape, goQueryUnescape, goUnescape, utf8Text } from "./escape";

/** net/url url.go QueryEscape, PathEscape, QueryUnescape, PathUnescape, unescape; expected texts as Go 1.19.8 printed them (unchanged through 1.26). */
describe("net/url escaping", () => {
  it.each([
    ["a b+c/d?e&f=g;h,i:j@k$l~m_n-o.p", "a+b%2Bc%2Fd%3Fe%26f%3Dg%3Bh%2Ci%3Aj%40k%24l~m_n-o.p", "a%20b+c%2Fd%3Fe&f=g%3Bh%2Ci:j@k$l~m_n-o.p"],
    // Byte strings: "é" as its two UTF-8 bytes, then the byte 0xff (a Go string may hold any byte).
    ["\u00c3\u00a9\xff!'()*[]", "%C3%A9%FF%21%27%28%29%2A%5B%5D", "%C3%A9%FF%21%27%28%29%2A%5B%5D"],
    ["", "", ""],
  ])("QueryEscape and PathEscape of %j", (bytes, query, path) => {
    expect(goQueryEscape(bytes)).toBe(query);
    expect(goPathEscape(bytes)).toBe(path);
  });

  it.each([
    ["a+b%20c", "a b c", "a+b c"],
    ["%e2%82%ac", "€", "€"],
  ])("QueryUnescape and PathUnescape of %j", (escaped, query, path) => {
    expect(goQueryUnescape(escaped)).toEqual({ value: goBytes(query) });
    expect(goPathUnescape(escaped)).toEqual({ value: goBytes(path) });
  });

  it("keeps an escaped byte that is not UTF-8 as that byte", () => {
    expect(goQueryUnescape("%ff")).toEqual({ value: "\xff" });
    expect(utf8Text("\xff")).toBe("\ufffd");
  });

  it.each([
    ["%zz", '"%zz"'],
    ["%2", '"%2"'],
    ["abc%", '"%"'],
    ["%\n", '"%\\n"'],
    [goBytes("%é"), '"%é"'],
  ])("refuses %j with an EscapeError quoting at most three bytes", (escaped, quoted) => {
    expect(goQueryUnescape(escaped)).toEqual({ error: `invalid URL escape ${quoted}` });
    expect(goPathUnescape(escaped)).toEqual({ error: `invalid URL escape ${quoted}` });
  });

  it("refuses in a host what a host cannot hold (unescape, encodeHost and encodeZone)", () => {
    expect(goUnescape("a%41", "host")).toEqual({ error: 'invalid URL escape "%41"' });
    expect(goUnescape("a%c3%a9", "host")).toEqual({ value: "a\u00c3\u00a9" });
    expect(goUnescape("a b", "host")).toEqual({ error: 'invalid character " " in host name' });
    expect(goUnescape("%25en%20", "zone")).toEqual({ value: "%en " });
    expect(goUnescape("%25%2F", "zone")).toEqual({ error: 'invalid URL escape "%2F"' });
  });
});
