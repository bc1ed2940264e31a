import { describe, expect, it } from "vitest";
import { decodeGoJson, unmarshalAs } from "./decode";
import { goJsonMarshal } from "./encode-output";
import { GoUnmarshalTypeError, type GoType } from "./types";
import { scanGoJson } from "./scanner";

/**
 * Go's encoding/json (decode.go, scanner.go, stream.go) and time parsing as
 * Go 1.26 runs them in Kratos and Hydra v26.2. The struct below stands for
 * Kratos' identity/handler.go CreateIdentityBody.
 */

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
    // gofrs/uuid v4.4.0 NullUUID.UnmarshalJSON hands the literal's bytes to UnmarshalText: its error, without field context.
    expect(messageOf(() => decodeGoJson('{"schema_id":1,"organization_id":5}', body, { strict: true }))).toBe(
      'uuid: incorrect UUID length 1 in string "5"',
    );
  });
});

/**
 * gofrs/uuid v4.4.0 (the version Kratos v26.2.0's go.mod pins) sql.go
 * NullUUID.UnmarshalJSON: `null` resets it; otherwise the surrounding quotes
 * are cut off and the bytes between them go to UUID.UnmarshalText as written,
 * without JSON unquoting. uuid.UUID itself is a TextUnmarshaler, which
 * encoding/json hands the unquoted string.
 */
describe("uuid.NullUUID.UnmarshalJSON (gofrs/uuid v4.4.0 sql.go)", () => {
  const canonical = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  const escaped = `\\u0036${canonical.slice(1)}`;
  const decode = (value: string) => decodeGoJson(`{"organization_id":${value}}`, body, { strict: true });

  it("reads the string's escapes as written: an escaped UUID is 41 bytes and fails the urn:uuid: check", () => {
    expect(messageOf(() => decode(`"${escaped}"`))).toBe('uuid: incorrect UUID format in string "\\\\u0036ba7"');
    expect(messageOf(() => decode(`"\\u0036ba7b810"`))).toBe('uuid: incorrect UUID length 13 in string "\\\\u0036ba7b810"');
    // uuid.UUID (a TextUnmarshaler) gets the unquoted text and accepts the same escape.
    const plain: GoType & { kind: "struct" } = { kind: "struct", name: "x.Body", fields: { id: { kind: "uuid", nullable: false } } };
    expect(decodeGoJson(`{"id":"${escaped}"}`, plain, { strict: true })).toEqual({ id: canonical });
  });

  it("hands any other literal to UnmarshalText as written, so 32 digits are a UUID", () => {
    expect(decode("12345678901234567890123456789012")).toEqual({ organization_id: "12345678-9012-3456-7890-123456789012" });
    expect(messageOf(() => decode("true"))).toBe('uuid: incorrect UUID length 4 in string "true"');
    // An object or array is passed with its bytes as the body wrote them, whitespace included.
    expect(messageOf(() => decode('{ "a": 1 }'))).toBe('uuid: incorrect UUID length 10 in string "{ \\"a\\": 1 }"');
    expect(messageOf(() => decode("[1]"))).toBe('uuid: incorrect UUID length 3 in string "[1]"');
    expect(decode(`"{${canonical}}"`)).toEqual({ organization_id: canonical });
    expect(decode("null")).toEqual({});
  });
});

describe("Go's decoder on the body's bytes (encoding/json decode.go, v1 as Go 1.26 builds it)", () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
  const str = (name = "string"): GoType => ({ kind: "string", name });
  const withRaw: GoType & { kind: "struct" } = {
    kind: "struct",
    name: "identity.CreateIdentityBody",
    fields: {
      schema_id: str(),
      traits: { kind: "raw" },
      created_at: { kind: "time", name: "time.Time" },
      credentials: {
        kind: "struct",
        name: "identity.IdentityWithCredentials",
        pointer: true,
        fields: {
          password: {
            kind: "struct",
            name: "identity.AdminIdentityImportCredentialsPassword",
            pointer: true,
            fields: {
              config: {
                kind: "struct",
                name: "identity.AdminIdentityImportCredentialsPasswordConfig",
                fields: { password: str(), hashed_password: str() },
              },
            },
          },
        },
      },
      verifiable_addresses: {
        kind: "slice",
        name: "[]identity.VerifiableAddress",
        elem: { kind: "struct", name: "identity.VerifiableAddress", fields: { value: str(), verified: { kind: "bool" }, status: str() } },
      },
      version: { kind: "int" },
    },
  };

  it("scanner.go quoteChar quotes a stray byte as the rune of its value: 0xff is 'ÿ'", () => {
    expect(messageOf(() => decodeGoJson(bytes([0xff]), body, { strict: true }))).toBe(
      "invalid character 'ÿ' looking for beginning of value",
    );
    expect(messageOf(() => decodeGoJson(bytes('{"schema_id":"a"', [0xfe]), body, { strict: true }))).toBe(
      "invalid character 'þ' after object key:value pair",
    );
  });

  it("decode.go unquoteBytes: each byte that is not UTF-8 is U+FFFD, and so is a surrogate escape without its pair", () => {
    const decoded = (raw: Buffer) => decodeGoJson(raw, body, { strict: true }).schema_id;
    expect(decoded(bytes('{"schema_id":"a', [0xff], 'b"}'))).toBe("a\uFFFDb");
    // A cut-off sequence is one U+FFFD per byte (utf8.DecodeRune), not one per sequence as TextDecoder reads it.
    expect(decoded(bytes('{"schema_id":"a', [0xe2, 0x82], 'b"}'))).toBe("a\uFFFD\uFFFDb");
    // Surrogates encoded in UTF-8 are no runes either.
    expect(decoded(bytes('{"schema_id":"', [0xed, 0xa0, 0x80], '"}'))).toBe("\uFFFD\uFFFD\uFFFD");
    expect(decoded(bytes('{"schema_id":"a\\ud800b"}'))).toBe("a\uFFFDb");
    expect(decoded(bytes('{"schema_id":"\\udc00\\ud83d\\ude00\\ud83d\\u0041"}'))).toBe("\uFFFD\u{1F600}\uFFFDA");
    expect(decoded(bytes('{"schema_id":"\\u00e9\\/é"}'))).toBe("é/é");
  });

  it("json.RawMessage keeps the bytes as sent: what is not UTF-8 stays recognisable (Postgres refuses it from the Go server)", () => {
    const traits = decodeGoJson(bytes('{"traits":{"a":"x', [0xff], '","b":"\\ud800"}}'), withRaw, { strict: true }).traits;
    expect(traits).toEqual({ a: "x\udcff", b: "\ud800" });
  });

  it("Time.UnmarshalJSON parses the literal as written: an escaped time is refused with the escape in the text", () => {
    expect(messageOf(() => decodeGoJson(bytes('{"created_at":"2020\\u002d01-02T03:04:05Z"}'), withRaw, { strict: true }))).toBe(
      'parsing time "2020\\\\u002d01-02T03:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse "\\\\u002d01-02T03:04:05Z" as "-"',
    );
    expect(messageOf(() => decodeGoJson(bytes('{"created_at":"2020-01-02T03:04:05Z', [0xff], '"}'), withRaw, { strict: true }))).toBe(
      'parsing time "2020-01-02T03:04:05Z\\xff": extra text: "\\xff"',
    );
    // A patched document is one Go marshalled: HTML characters are escaped there (json.Marshal's default).
    expect(messageOf(() => decodeGoJson(bytes(goJsonMarshal({ created_at: "<2020>" })), withRaw, { strict: false }))).toBe(
      'parsing time "\\\\u003c2020\\\\u003e" as "2006-01-02T15:04:05Z07:00": cannot parse "\\\\u003c2020\\\\u003e" as "2006"',
    );
  });

  it("repeated keys decode into the same field: structs and pointers merge, slices merge by index, RawMessage is replaced", () => {
    const decoded = decodeGoJson(
      bytes(
        '{"credentials":{"password":{"config":{"password":"p"}}},"Credentials":{"password":{"config":{"hashed_password":"h"}}},',
        '"verifiable_addresses":[{"value":"a","verified":true},{"value":"b"}],"verifiable_addresses":[{"status":"completed"}],',
        '"traits":{"x":1},"traits":{"y":2},"schema_id":"a","schema_id":null}',
      ),
      withRaw,
      { strict: true },
    );
    expect(decoded).toEqual({
      credentials: { password: { config: { password: "p", hashed_password: "h" } } },
      verifiable_addresses: [{ value: "a", verified: true, status: "completed" }],
      traits: { y: 2 },
      schema_id: "a",
    });
    // `null` resets pointers and slices, not values.
    expect(
      decodeGoJson(
        bytes('{"credentials":{"password":{}},"credentials":null,"verifiable_addresses":[{}],"verifiable_addresses":null}'),
        withRaw,
        { strict: true },
      ),
    ).toEqual({});
  });

  it("field names match as foldName folds them: ASCII case, and ſ and K (Kelvin) as s and k", () => {
    expect(decodeGoJson(bytes('{"ſchema_id":"a"}'), body, { strict: true })).toEqual({ schema_id: "a" });
    expect(messageOf(() => decodeGoJson(bytes('{"schéma_id":"a"}'), body, { strict: true }))).toBe('json: unknown field "schéma_id"');
  });

  it("an unknown field's name is quoted as %q quotes it: spaces and format characters escaped (decode.go object)", () => {
    expect(messageOf(() => decodeGoJson(bytes('{"schema_id\\u00a0":"a"}'), body, { strict: true }))).toBe(
      'json: unknown field "schema_id\\u00a0"',
    );
    expect(messageOf(() => decodeGoJson(bytes('{"a\u200bb\\u0007":1}'), body, { strict: true }))).toBe(
      'json: unknown field "a\\u200bb\\a"',
    );
  });

  it("ints follow strconv.ParseInt on the literal: `1.0` is no int, and the error quotes the literal", () => {
    expect(messageOf(() => decodeGoJson(bytes('{"version":1.0}'), withRaw, { strict: true }))).toBe(
      "json: cannot unmarshal number 1.0 into Go struct field CreateIdentityBody.version of type int",
    );
    expect(decodeGoJson(bytes('{"version":-7}'), withRaw, { strict: true })).toEqual({ version: -7 });
  });
});

describe("numbers into Go's number types (decode.go literalStore: strconv.ParseInt/ParseUint/ParseFloat, reflect Overflow*)", () => {
  const numbers: GoType & { kind: "struct" } = {
    kind: "struct",
    name: "client.Client",
    fields: {
      n: { kind: "int" },
      n64: { kind: "int", bits: 64 },
      n8: { kind: "int", bits: 8 },
      u: { kind: "int", unsigned: true },
      u16: { kind: "int", bits: 16, unsigned: true },
      f: { kind: "float" },
      f32: { kind: "float", bits: 32 },
    },
  };
  const error = (raw: string) => messageOf(() => decodeGoJson(raw, numbers, { strict: false }));

  it("accepts what fits the type", () => {
    expect(
      decodeGoJson('{"n":-9223372036854775808,"n8":127,"u":18446744073709551615,"u16":65535,"f":1e308,"f32":-1.5}', numbers, {
        strict: false,
      }),
    ).toMatchObject({ n8: 127, u16: 65535, f: 1e308, f32: -1.5 });
  });

  it("refuses a literal past the type's range with the literal as written", () => {
    expect(error('{"n":9223372036854775808}')).toBe(
      "json: cannot unmarshal number 9223372036854775808 into Go struct field Client.n of type int",
    );
    expect(error('{"n64":-9223372036854775809}')).toBe(
      "json: cannot unmarshal number -9223372036854775809 into Go struct field Client.n64 of type int64",
    );
    expect(error('{"n8":128}')).toBe("json: cannot unmarshal number 128 into Go struct field Client.n8 of type int8");
    expect(error('{"u":-1}')).toBe("json: cannot unmarshal number -1 into Go struct field Client.u of type uint");
    expect(error('{"u16":65536}')).toBe("json: cannot unmarshal number 65536 into Go struct field Client.u16 of type uint16");
    expect(error('{"f":1e400}')).toBe("json: cannot unmarshal number 1e400 into Go struct field Client.f of type float64");
    expect(error('{"f32":1e39}')).toBe("json: cannot unmarshal number 1e39 into Go struct field Client.f32 of type float32");
    expect(error('{"n":1e2}')).toBe("json: cannot unmarshal number 1e2 into Go struct field Client.n of type int");
    expect(error('{"f":"1"}')).toBe("json: cannot unmarshal string into Go struct field Client.f of type float64");
  });
});

describe("types with their own UnmarshalJSON and embedded structs (decode.go indirect, addErrorContext)", () => {
  // x.NullDuration (hydra x/sqlx.go UnmarshalJSON): `null` is unset, else json.Unmarshal into a string, then time.ParseDuration.
  const nullDuration: GoType = {
    kind: "unmarshaler",
    name: "x.NullDuration",
    decode: (node) => {
      if (node.t === "null") return undefined;
      const text = unmarshalAs(node, { kind: "string", name: "string" });
      if (text !== "1h") throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
      return text;
    },
  };
  const client: GoType & { kind: "struct" } = {
    kind: "struct",
    name: "client.Client",
    fields: { client_name: { kind: "string", name: "string" }, meta: { kind: "any" } },
    embedded: [{ name: "Lifespans", fields: { ttl: nullDuration, client_name: { kind: "bool" } } }],
  };

  it("an unmarshaler's inner type error gets the field's context, the embedded struct named in the path", () => {
    expect(messageOf(() => decodeGoJson('{"ttl":5}', client, { strict: false }))).toBe(
      "json: cannot unmarshal number into Go struct field Client.Lifespans.ttl of type string",
    );
    expect(messageOf(() => decodeGoJson('{"client_name":1,"ttl":"x"}', client, { strict: false }))).toBe('time: invalid duration "x"');
    expect(decodeGoJson('{"ttl":"1h","ttl":null,"client_name":"a"}', client, { strict: false })).toEqual({ client_name: "a" });
  });

  it("an outer field hides an embedded one of the same name; interface {} takes any value", () => {
    expect(decodeGoJson('{"client_name":"a","meta":[1,{"b":null}]}', client, { strict: false })).toEqual({
      client_name: "a",
      meta: [1, { b: null }],
    });
  });

  it("a type error outside a struct keeps Go's `into Go value of type` text", () => {
    const error = new GoUnmarshalTypeError("string", "bool");
    expect(error.message).toBe("json: cannot unmarshal string into Go value of type bool");
    expect(error.withContext("Outer", ["a", "b"]).message).toBe(
      "json: cannot unmarshal string into Go struct field Outer.a.b of type bool",
    );
  });
});
