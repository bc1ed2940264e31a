import { describe, expect, it } from "vitest";
import { goJsonMarshal } from "./go-json";

// encoding/json.Marshal of a map[string]interface{} (encode.go mapEncoder, floatEncoder, appendString),
// as golang-jwt marshals the tokenizer's claims (session/tokenizer.go TokenizeSession).
describe("goJsonMarshal (encoding/json.Marshal of decoded JSON)", () => {
  it("keeps -0 as strconv.AppendFloat writes it", () => {
    expect(goJsonMarshal({ n: -0, m: [0, -0, 1e21, 1e-7] })).toBe('{"m":[0,-0,1e+21,1e-7],"n":-0}');
  });

  it("sorts a map's keys by their UTF-8 bytes, not UTF-16 units", () => {
    // U+FF01 is EF BC 81 in UTF-8, U+1F600 is F0 9F 98 80: Go puts U+FF01 first, UTF-16 order the other way.
    expect(goJsonMarshal({ "\u{1F600}": 1, "\uFF01": 2 })).toBe('{"\uFF01":2,"\u{1F600}":1}');
  });

  it("escapes <, >, &, U+2028 and U+2029 and writes text that is not Unicode as U+FFFD", () => {
    expect(goJsonMarshal({ "a<b": "x&y>\u2028\u2029", lone: "\ud800" })).toBe(
      '{"a\\u003cb":"x\\u0026y\\u003e\\u2028\\u2029","lone":"\\ufffd"}',
    );
  });
});
