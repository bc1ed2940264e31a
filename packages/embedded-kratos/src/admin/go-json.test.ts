import { describe, expect, it } from "vitest";
import { decodeGoJson, type GoType } from "./go-json";
import { scanGoJson } from "./go-scanner";
import { goRfc3339Error } from "./go-time";

const body: GoType & { kind: "struct" } = {
  kind: "struct",
  name: "identity.CreateIdentityBody",
  fields: {
    schema_id: { kind: "string", name: "string" },
    organization_id: { kind: "uuid", nullable: true },
    created_at: { kind: "time", name: "time.Time" },
  },
};

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
};

describe("Go's encoding/json texts for bodies that do not parse", () => {
  it("json.Decoder.Decode (stream.go readValue, scanner.go): EOF, unexpected EOF, the scanner's invalid-character texts", () => {
    const cases: [string, string][] = [
      ["", "EOF"],
      [" \n\t", "EOF"],
      ["{", "unexpected EOF"],
      ['{"schema_id"', "unexpected EOF"],
      ['{"schema_id":"x"', "unexpected EOF"],
      ["[1,", "unexpected EOF"],
      ["-", "unexpected EOF"],
      ["tru", "unexpected EOF"],
      ["x", "invalid character 'x' looking for beginning of value"],
      ["'a'", "invalid character '\\'' looking for beginning of value"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
      ["{a:1}", "invalid character 'a' looking for beginning of object key string"],
      ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
      ["[1 2]", "invalid character '2' after array element"],
      ["[1,]", "invalid character ']' looking for beginning of value"],
      ['{"a":tx}', "invalid character 'x' in literal true (expecting 'r')"],
      ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')"],
      ['{"a":fals}', "invalid character '}' in literal false (expecting 'e')"],
      ['{"a":-x}', "invalid character 'x' in numeric literal"],
      ['{"a":1.x}', "invalid character 'x' after decimal point in numeric literal"],
      ['{"a":1ex}', "invalid character 'x' in exponent of numeric literal"],
      ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
      ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
      ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
      ['{"a":"\t"}', "invalid character '\\t' in string literal"],
      ["\u00e9", "invalid character 'Ã' looking for beginning of value"],
      ["\u0080", "invalid character 'Â' looking for beginning of value"],
    ];
    for (const [raw, message] of cases)
      expect(
        messageOf(() => decodeGoJson(raw, body, { strict: true })),
        raw,
      ).toBe(message);
  });

  it("Decode reads only the first value: trailing data is left unread (stream.go Decoder.Decode)", () => {
    expect(decodeGoJson('{"schema_id":"a"} trailing', body, { strict: true })).toEqual({ schema_id: "a" });
    expect(decodeGoJson('{"schema_id":"a"}{"schema_id":"b"}', body, { strict: true })).toEqual({ schema_id: "a" });
    expect(messageOf(() => decodeGoJson("1x", body, { strict: true }))).toBe(
      "json: cannot unmarshal number into Go value of type identity.CreateIdentityBody",
    );
  });

  it("json.Unmarshal (scanner.go checkValid, eof): end of JSON input, trailing data, a final space fed to the scanner", () => {
    const unmarshal = (raw: string) => messageOf(() => scanGoJson(Buffer.from(raw), "unmarshal"));
    expect(unmarshal("")).toBe("unexpected end of JSON input");
    expect(unmarshal('{"a":')).toBe("unexpected end of JSON input");
    expect(unmarshal("[1] x")).toBe("invalid character 'x' after top-level value");
    expect(unmarshal("1 2")).toBe("invalid character '2' after top-level value");
    expect(unmarshal("[-")).toBe("invalid character ' ' in numeric literal");
    expect(unmarshal("tr")).toBe("invalid character ' ' in literal true (expecting 'u')");
    expect(scanGoJson(Buffer.from(" 12 "), "unmarshal")).toBe(3);
  });

  it("type errors are kept while decoding goes on, an unmarshaler's error wins (decode.go saveError, literalStore)", () => {
    expect(messageOf(() => decodeGoJson('{"schema_id":1,"nope":true}', body, { strict: true }))).toBe(
      "json: cannot unmarshal number into Go struct field CreateIdentityBody.schema_id of type string",
    );
    expect(messageOf(() => decodeGoJson('{"nope":true,"schema_id":1}', body, { strict: true }))).toBe('json: unknown field "nope"');
    expect(messageOf(() => decodeGoJson('{"schema_id":1,"organization_id":"x"}', body, { strict: true }))).toBe(
      'uuid: incorrect UUID length 1 in string "x"',
    );
  });
});

describe("Go's time parsing texts (time/format.go Parse, format_rfc3339.go parseStrictRFC3339)", () => {
  it("accepts strict RFC 3339 times", () => {
    for (const t of ["2020-01-02T03:04:05Z", "2020-01-02T03:04:05.123456789+01:00", "2024-02-29T00:00:00-23:59"]) {
      expect(goRfc3339Error(t), t).toBeUndefined();
    }
  });

  it("refuses the rest with time.ParseError's text", () => {
    const layout = '"2006-01-02T15:04:05Z07:00"';
    const cases: [string, string][] = [
      ["x", `parsing time "x" as ${layout}: cannot parse "x" as "2006"`],
      ["2020", `parsing time "2020" as ${layout}: cannot parse "" as "-"`],
      ["2020-1-02T03:04:05Z", `parsing time "2020-1-02T03:04:05Z" as ${layout}: cannot parse "1-02T03:04:05Z" as "01"`],
      ["2020-13-02T03:04:05Z", `parsing time "2020-13-02T03:04:05Z": month out of range`],
      ["2021-02-29T03:04:05Z", `parsing time "2021-02-29T03:04:05Z": day out of range`],
      ["2020-01-02 03:04:05Z", `parsing time "2020-01-02 03:04:05Z" as ${layout}: cannot parse " 03:04:05Z" as "T"`],
      ["2020-01-02T25:04:05Z", `parsing time "2020-01-02T25:04:05Z": hour out of range`],
      ["2020-01-02T03:04:05", `parsing time "2020-01-02T03:04:05" as ${layout}: cannot parse "" as "Z07:00"`],
      ["2020-01-02T03:04:05+0100", `parsing time "2020-01-02T03:04:05+0100" as ${layout}: cannot parse "+0100" as "Z07:00"`],
      ["2020-01-02T03:04:05Zjunk", `parsing time "2020-01-02T03:04:05Zjunk": extra text: "junk"`],
      ["2020-01-02T3:04:05Z", `parsing time "2020-01-02T3:04:05Z" as ${layout}: cannot parse "3" as "15"`],
      ["2020-01-02T03:04:05,5Z", `parsing time "2020-01-02T03:04:05,5Z" as ${layout}: cannot parse "," as "."`],
      ["2020-01-02T03:04:05+24:00", `parsing time "2020-01-02T03:04:05+24:00": timezone hour out of range`],
      ["2020-01-02T03:04:05+25:00", `parsing time "2020-01-02T03:04:05+25:00": time zone offset hour out of range`],
      ["é", `parsing time "\\xc3\\xa9" as ${layout}: cannot parse "\\xc3\\xa9" as "2006"`],
    ];
    for (const [value, message] of cases) expect(goRfc3339Error(value), value).toBe(message);
  });
});
