import { describe, expect, it } from "vitest";
import { goJoseBase64UrlDecode, goStdBase64Decode } from "./go-base64";

/** Go's encoding/base64 (base64.go Decode/decodeQuantum), with the offsets of its CorruptInputError. */
describe("base64.StdEncoding.DecodeString (the x5c entries, shared.go parseCertificateChain)", () => {
  it.each([
    ["!!!!", 0],
    ["====", 0],
    ["x===", 1],
    ["=AAA", 0],
    ["A=AA", 1],
    ["AA=A", 2],
    ["AA==A", 4],
    ["AAA=AAAA", 4],
    ["AAAAA", 4],
    ["AAAAAA", 4],
    ["A=", 1],
    ["A==", 1],
    ["AA=", 3],
    ["AAAAAA=", 7],
    ["YWJjZA=====", 8],
    ["A!\n", 1],
    ["A=\n", 1],
  ])("%j is corrupt at byte %i", (input, offset) => {
    expect(goStdBase64Decode(input)).toEqual({ ok: false, error: `illegal base64 data at input byte ${offset}` });
  });

  it.each([
    ["", ""],
    ["\n", ""],
    ["AAA=\n", "0000"],
    ["AAAA\n", "000000"],
    ["AA==", "00"],
    ["YWJj\r\nZA==", "61626364"],
  ])("%j decodes", (input, hex) => {
    expect(goStdBase64Decode(input)).toEqual({ ok: true, bytes: Buffer.from(hex, "hex") });
  });
});

describe("go-jose base64URLDecode (encoding.go: `=` trimmed, then RawURLEncoding)", () => {
  it("takes unpadded and padded base64url, refuses the standard alphabet and a lone final character", () => {
    expect(goJoseBase64UrlDecode("_-8")).toEqual({ ok: true, bytes: Buffer.from([0xff, 0xef]) });
    expect(goJoseBase64UrlDecode("AQAB==")).toEqual({ ok: true, bytes: Buffer.from([1, 0, 1]) });
    expect(goJoseBase64UrlDecode("a+b")).toEqual({ ok: false, error: "illegal base64 data at input byte 1" });
    expect(goJoseBase64UrlDecode("AAAAA")).toEqual({ ok: false, error: "illegal base64 data at input byte 4" });
  });
});
