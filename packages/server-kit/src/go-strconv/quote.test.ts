import { describe, expect, it } from "vitest";
import golden from "./quote.golden.json";
import { goQuote, goQuoteBytes, goQuotedRune } from "./quote";

/**
 * strconv quote.go Quote (appendQuotedWith, appendEscapedRune, IsPrint). The
 * goldens are what Go prints (a go1.19 program; the quote rules are the same
 * in Go 1.26, and every rune in them has the same printability in Unicode 13,
 * 15 and Node's tables).
 */
describe("goQuote / goQuoteBytes (strconv.Quote)", () => {
  const cases = golden.cases.map(({ bytes, quote }) => ({ hex: bytes, bytes: Buffer.from(bytes, "hex"), quote }));

  it.each(cases)("quotes the bytes $hex as Go does", ({ bytes, quote }) => {
    expect(goQuoteBytes(bytes)).toBe(quote);
  });

  it.each(cases.filter(({ bytes }) => Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes)))(
    "quotes the text of $hex as Go quotes its UTF-8",
    ({ bytes, quote }) => {
      expect(goQuote(bytes.toString("utf8"))).toBe(quote);
    },
  );

  it("escapes non-ASCII spaces, format characters, private use and unassigned runes, which JSON leaves as they are", () => {
    expect(goQuote("a\u00a0b\u200bc\u202fd")).toBe('"a\\u00a0b\\u200bc\\u202fd"');
    expect(goQuote("\ue000\u0378\u{f0000}")).toBe('"\\ue000\\u0378\\U000f0000"');
  });

  it("takes a lone surrogate as the U+FFFD its UTF-8 encoding holds, which Go prints as it is", () => {
    expect(goQuote("a\ud800b")).toBe('"a\ufffdb"');
  });

  it("writes an invalid rune as U+FFFD's escape (utf8.ValidRune)", () => {
    expect(goQuotedRune(0xd800)).toBe("\\ufffd");
    expect(goQuotedRune(0x110000)).toBe("\\ufffd");
  });
});
