import { describe, expect, it } from "vitest";
import { goQuoteBytes } from "../go-strconv/quote";
import { goParseUuid } from "./uuid";

/** gofrs/uuid v4.4.0 codec.go UUID.Parse (FromString), the version Kratos v26.2 and Hydra pin. */
describe("gofrs/uuid FromString (codec.go UUID.Parse)", () => {
  const canonical = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

  it("accepts the six forms of UnmarshalText's ABNF and answers the canonical lower-case text", () => {
    for (const form of [
      canonical,
      canonical.toUpperCase(),
      `{${canonical}}`,
      `urn:uuid:${canonical}`,
      "6BA7B8109DAD11D180B400C04FD430C8",
      "{6ba7b8109dad11d180b400c04fd430c8}",
      "urn:uuid:6ba7b8109dad11d180b400c04fd430c8",
    ]) {
      expect(goParseUuid(form), form).toEqual({ uuid: canonical });
    }
  });

  it("refuses the rest with the error of the check that failed", () => {
    const cases: [string, string][] = [
      ["nope", 'uuid: incorrect UUID length 4 in string "nope"'],
      ["", 'uuid: incorrect UUID length 0 in string ""'],
      // urn:uuid: and braces do not combine: 47 bytes is a length error.
      [`urn:uuid:{${canonical}}`, `uuid: incorrect UUID length 47 in string "urn:uuid:{${canonical}}"`],
      // 34 and 38 bytes must be braced; the whole text is quoted.
      [`(${canonical})`, `uuid: incorrect UUID format in string "(${canonical})"`],
      // 41 and 45 bytes must start with urn:uuid:, and only those nine bytes are quoted.
      [`URN:UUID:${canonical}`, 'uuid: incorrect UUID format in string "URN:UUID:"'],
      // The hyphen check quotes the inner text, without braces or prefix.
      [`{6ba7b810x9dad-11d1-80b4-00c04fd430c8}`, 'uuid: incorrect UUID format in string "6ba7b810x9dad-11d1-80b4-00c04fd430c8"'],
      // A digit that is not hex is errInvalidFormat, which names nothing.
      ["6ba7b810-9dad-11d1-80b4-00c04fd430cg", "uuid: invalid UUID format"],
      ["urn:uuid:6ba7b8109dad11d180b400c04fd430cz", "uuid: invalid UUID format"],
      // The length counts bytes: 31 ASCII bytes and one two-byte rune are 33.
      [`${"a".repeat(31)}é`, `uuid: incorrect UUID length 33 in string "${"a".repeat(31)}é"`],
      ["\u0001", 'uuid: incorrect UUID length 1 in string "\\x01"'],
    ];
    for (const [input, error] of cases) expect(goParseUuid(input), input).toEqual({ error });
  });

  it("quotes as strconv.Quote: a rune cut by the nine-byte prefix is \\x..", () => {
    // 41 bytes: "urn:uui" and a three-byte rune whose last byte falls after the cut.
    const input = `urn:uui${"€"}${"a".repeat(31)}`;
    expect(Buffer.byteLength(input)).toBe(41);
    expect(goParseUuid(input)).toEqual({ error: 'uuid: incorrect UUID format in string "urn:uui\\xe2\\x82"' });
    expect(goQuoteBytes(Buffer.from('a"\\\n\u00a0\u200b😀'))).toBe('"a\\"\\\\\\n\\u00a0\\u200b😀"');
  });
});
