import { describe, expect, it } from "vitest";
import { goCompactRawText, goEscapeStringified, goJsonEncode, goJsonMarshal } from "./encode-output";

/**
 * Go's encoding/json output (encode.go appendString, appendCompact; Encoder.Encode),
 * the bytes herodot's JSONWriter (json.go WriteCode) and fosite's json.Marshal writers answer.
 * Expected texts were produced by Go's encoding/json.
 */
describe("Go encoding/json output", () => {
  const value = { "a<&>": 'x<a&b>\u2028y\u2029z\\ud800 "q"', bad: "\ud800" };

  it("json.Marshal escapes <, >, & and U+2028/U+2029, writes a lone surrogate as \\ufffd, adds no newline", () => {
    expect(goJsonMarshal(value)).toBe(
      String.raw`{"a\u003c\u0026\u003e":"x\u003ca\u0026b\u003e\u2028y\u2029z\\ud800 \"q\"","bad":"\ufffd"}`,
    );
  });

  it("Encoder.Encode adds a newline; SetEscapeHTML(false) (herodot.UnescapedHTML) keeps <, >, & but not U+2028", () => {
    expect(goJsonEncode(value)).toBe(`${goJsonMarshal(value)}\n`);
    expect(goJsonEncode(value, { escapeHtml: false })).toBe(String.raw`{"a<&>":"x<a&b>\u2028y\u2029z\\ud800 \"q\"","bad":"\ufffd"}` + "\n");
    expect(goJsonEncode(undefined)).toBe("null\n");
  });

  it("keeps escaped backslashes and other escapes as JSON.stringify wrote them", () => {
    expect(goEscapeStringified(JSON.stringify("\\\\ud800\b\f\n\u0001\u007f"))).toBe(String.raw`"\\\\ud800\b\f\n\u0001` + '\u007f"');
  });

  it("json.RawMessage text: compact escapes <, >, &, U+2028 only with HTML escaping and keeps its own escapes", () => {
    const raw = '{"k":"<&>\u2028\\ud800"}';
    expect(goCompactRawText(raw)).toBe(String.raw`{"k":"\u003c\u0026\u003e\u2028\ud800"}`);
    expect(goCompactRawText(raw, false)).toBe(raw);
  });
});
