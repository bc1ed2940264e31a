import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { goJoseJwkError } from "../go-jose-jwk";
import { parseCertificateChain } from "../go-x509";
import { selfSignedCertificate } from "../../testing/certificates";
import {
  certificate,
  der,
  ecKey,
  extension,
  extensions,
  generalizedTime,
  hex,
  oid,
  seq,
  spkiOf,
  utcTime,
  type CertificateParts,
} from "./test-certificate";

/**
 * Go 1.26's x509.ParseCertificate (crypto/x509/parser.go parseCertificate)
 * through go-jose's parseCertificateChain (shared.go): the first check a
 * certificate fails gives Go's text; checks OpenSSL does not make (a
 * negative serial, RSA parameters, matching algorithm identifiers, string
 * types, time formats) are made.
 */

const parse = (cert: Buffer) => parseCertificateChain([cert.toString("base64")]);
const errorOf = (parts: CertificateParts) => {
  const result = parse(certificate(parts));
  return result.ok ? undefined : result.error;
};

const bitString = (bytes: Buffer) => der(0x03, Buffer.from([0]), bytes);
const spki = (algorithm: Buffer, key: Buffer) => seq(algorithm, bitString(key));
const ecPoint = spkiOf(ecKey).subarray(-65);
const P256 = oid("1.2.840.10045.3.1.7");
const EC_PUBLIC_KEY = oid("1.2.840.10045.2.1");

describe("parseCertificate accepts what Go reads", () => {
  it("reads generated certificates and the key Go makes of each", () => {
    for (const [type, options] of [
      ["ec", { namedCurve: "P-256" }],
      ["ec", { namedCurve: "P-384" }],
      ["ec", { namedCurve: "P-521" }],
      ["rsa", { modulusLength: 2048 }],
      ["ed25519", {}],
    ] as const) {
      const { privateKey } = generateKeyPairSync(type as "ec", options as { namedCurve: string });
      const result = parse(selfSignedCertificate(createPublicKey(privateKey), privateKey));
      expect(result.ok && result.certs[0]?.publicKey?.kind).toBe(type === "ec" ? "ecdsa" : type);
    }
  });

  it("reads a P-224 key (a key no JWK matches) and leaves an unknown algorithm's key nil (X25519)", () => {
    const p224 = createPublicKey(generateKeyPairSync("ec", { namedCurve: "P-224" }).privateKey);
    const x25519 = createPublicKey(generateKeyPairSync("x25519").privateKey);
    const p224Result = parse(certificate({ spki: spkiOf(p224) }));
    const x25519Result = parse(certificate({ spki: spkiOf(x25519) }));
    expect(p224Result.ok && p224Result.certs[0]?.publicKey).toEqual({ kind: "other" });
    expect(x25519Result.ok && x25519Result.certs[0]?.publicKey).toBeUndefined();
    // go-jose (jwk.go UnmarshalJSON) refuses an 'oct' key with a chain only when the leaf's PublicKey is not nil.
    const x5c = [certificate({ spki: spkiOf(x25519) }).toString("base64")];
    expect(goJoseJwkError({ kty: "oct", k: "c2VjcmV0", x5c })).toBeUndefined();
  });

  it.each([
    [
      "a v1 certificate (no version), whose TBSCertificate may hold anything after the key",
      { version: Buffer.alloc(0), tail: hex("0500") },
    ],
    [
      "a v2 certificate with unique ids, whose extensions are not read",
      { version: der(0xa0, der(0x02, hex("01"))), tail: Buffer.concat([der(0x81, hex("00")), der(0x82, hex("00")), hex("a30100")]) },
    ],
    ["UTCTime without seconds and with a zone offset", { validity: seq(utcTime("2501010000Z"), utcTime("351231235959+2359")) }],
    [
      "GeneralizedTime, 29 February of a leap year",
      { validity: seq(generalizedTime("20240229000000Z"), generalizedTime("99991231235959Z")) },
    ],
    [
      "a PrintableString with the '*' and '&' Go allows, a BMPString with its terminator, and other value types",
      {
        issuer: seq(
          der(0x31, seq(oid("2.5.4.3"), der(0x13, Buffer.from("*.a&b"))), seq(oid("2.5.4.4"), der(0x1e, hex("00410000")))),
          der(
            0x31,
            seq(oid("2.5.4.5"), der(0x02, hex("05"))),
            seq(oid("2.5.4.6"), der(0x05)),
            seq(oid("2.5.4.7"), der(0xa0, der(0x04, hex("00")))),
          ),
        ),
      },
    ],
    [
      "known extensions, well formed, and an unknown critical one",
      {
        tail: extensions(
          extension("2.5.29.19", seq(der(0x01, hex("ff")), der(0x02, hex("00"))), true),
          extension("2.5.29.15", der(0x03, hex("0780"))),
          extension(
            "2.5.29.17",
            seq(der(0x82, Buffer.from("example.com")), der(0x87, hex("7f000001")), der(0x86, Buffer.from("https://example.com/x#\u0001"))),
          ),
          extension(
            "2.5.29.30",
            seq(der(0xa0, seq(der(0x82, Buffer.from(".example.com")), seq(der(0x81, Buffer.from("a.b@example.com")))))),
          ),
          extension("1.2.3.4", hex("00"), true),
        ),
      },
    ],
  ])("%s", (_name, parts) => {
    expect(errorOf(parts)).toBeUndefined();
  });
});

describe("parseCertificate refuses with the text of the first field Go cannot read", () => {
  const ecAlgorithm = seq(EC_PUBLIC_KEY, P256);
  it.each([
    ["a version above v3", { version: der(0xa0, der(0x02, hex("03"))) }, "x509: invalid version"],
    ["a version that is not an INTEGER", { version: der(0xa0, der(0x04, hex("02"))) }, "x509: malformed version"],
    ["a version past Go's range", { version: der(0xa0, der(0x02, hex("05"))) }, "x509: malformed version"],
    ["a version with bytes after it", { version: der(0xa0, der(0x02, hex("02")), hex("0500")) }, "x509: malformed version"],
    ["a serial that is not an INTEGER", { serial: der(0x04, hex("01")) }, "x509: malformed serial number"],
    ["a serial not minimally encoded", { serial: der(0x02, hex("0001")) }, "x509: malformed serial number"],
    ["a negative serial (GODEBUG x509negativeserial off since Go 1.23)", { serial: der(0x02, hex("ff")) }, "x509: negative serial number"],
    [
      "a signature algorithm that is not a SEQUENCE",
      { signatureAlgorithm: der(0x31, oid("1.2.840.10045.4.3.2")) },
      "x509: malformed signature algorithm identifier",
    ],
    [
      "outer and inner signature algorithms that differ",
      { outerAlgorithm: seq(oid("1.2.840.10045.4.3.3")) },
      "x509: inner and outer signature algorithm identifiers don't match",
    ],
    ["a signature algorithm whose OID is bad", { signatureAlgorithm: seq(der(0x06, hex("80"))) }, "x509: malformed OID"],
    ["an issuer that is not a SEQUENCE", { issuer: der(0x31) }, "x509: malformed issuer"],
    ["an issuer whose RDN is not a SET", { issuer: seq(seq()) }, "x509: invalid RDNSequence"],
    ["an issuer attribute that is not a SEQUENCE", { issuer: seq(der(0x31, der(0x04))) }, "x509: invalid RDNSequence: invalid attribute"],
    [
      "an issuer attribute without a type",
      { issuer: seq(der(0x31, seq(der(0x0c, hex("41"))))) },
      "x509: invalid RDNSequence: invalid attribute type",
    ],
    [
      "a PrintableString holding '@'",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x13, Buffer.from("a@b"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid PrintableString",
    ],
    [
      "a UTF8String that is not UTF-8",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, hex("c3"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid UTF-8 string",
    ],
    [
      "a BMPString holding a surrogate",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x1e, hex("d800"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid BMPString",
    ],
    [
      "an IA5String holding a byte past ASCII",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x16, hex("80"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid IA5String",
    ],
    [
      "a NumericString holding a letter",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x12, Buffer.from("1a"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid NumericString",
    ],
    [
      "an attribute value that is a bad BOOLEAN",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x01, hex("01"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid ASN.1 BOOLEAN",
    ],
    [
      "an attribute value that is a nine-byte INTEGER",
      { issuer: seq(der(0x31, seq(oid("2.5.4.3"), der(0x02, hex("010000000000000000"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid ASN.1 integer",
    ],
    ["validity that is not a SEQUENCE", { validity: der(0x31, utcTime("250101000000Z")) }, "x509: malformed validity"],
    ["a notBefore of month 13", { validity: seq(utcTime("251301000000Z"), utcTime("350101000000Z")) }, "x509: malformed UTCTime"],
    ["a notAfter of 29 February 2023", { validity: seq(utcTime("250101000000Z"), utcTime("230229000000Z")) }, "x509: malformed UTCTime"],
    [
      "a UTCTime zone of +0000 (Go writes Z)",
      { validity: seq(utcTime("250101000000+0000"), utcTime("350101000000Z")) },
      "x509: malformed UTCTime",
    ],
    [
      "a UTCTime with fractional seconds",
      { validity: seq(utcTime("250101000000.5Z"), utcTime("350101000000Z")) },
      "x509: malformed UTCTime",
    ],
    [
      "a GeneralizedTime at second 60",
      { validity: seq(generalizedTime("20250101000060Z"), utcTime("350101000000Z")) },
      "x509: malformed GeneralizedTime",
    ],
    ["a time of another type", { validity: seq(der(0x02, hex("01")), utcTime("350101000000Z")) }, "x509: unsupported time format"],
    ["no notAfter", { validity: seq(utcTime("250101000000Z")) }, "x509: unsupported time format"],
    ["a subject that is not a SEQUENCE (Go reuses the issuer's text)", { subject: der(0x31) }, "x509: malformed issuer"],
    [
      "a bad subject attribute",
      { subject: seq(der(0x31, seq(oid("2.5.4.3"), der(0x13, Buffer.from("_"))))) },
      "x509: invalid RDNSequence: invalid attribute value: invalid PrintableString",
    ],
    ["an SPKI that is not a SEQUENCE", { spki: der(0x31) }, "x509: malformed spki"],
    ["an SPKI without an algorithm", { spki: seq(bitString(ecPoint)) }, "x509: malformed public key algorithm identifier"],
    [
      "an SPKI algorithm with a bad parameters element",
      { spki: spki(seq(EC_PUBLIC_KEY, hex("05")), ecPoint) },
      "x509: malformed parameters",
    ],
    ["an SPKI key that is not a BIT STRING", { spki: seq(ecAlgorithm, der(0x04, ecPoint)) }, "x509: malformed subjectPublicKey"],
    [
      "an RSA key without NULL parameters",
      { spki: spki(seq(oid("1.2.840.113549.1.1.1")), seq(der(0x02, hex("00c1")), der(0x02, hex("010001")))) },
      "x509: RSA key missing NULL parameters",
    ],
    [
      "an RSA key that is not a SEQUENCE",
      { spki: spki(seq(oid("1.2.840.113549.1.1.1"), der(0x05)), der(0x02, hex("01"))) },
      "x509: invalid RSA public key",
    ],
    [
      "an RSA key with a bad modulus",
      { spki: spki(seq(oid("1.2.840.113549.1.1.1"), der(0x05)), seq(der(0x02, hex("0001")))) },
      "x509: invalid RSA modulus",
    ],
    [
      "an RSA key without an exponent",
      { spki: spki(seq(oid("1.2.840.113549.1.1.1"), der(0x05)), seq(der(0x02, hex("00c1")))) },
      "x509: invalid RSA public exponent",
    ],
    [
      "an RSA key with a negative modulus",
      { spki: spki(seq(oid("1.2.840.113549.1.1.1"), der(0x05)), seq(der(0x02, hex("c1")), der(0x02, hex("03")))) },
      "x509: RSA modulus is not a positive number",
    ],
    [
      "an RSA key with exponent 0",
      { spki: spki(seq(oid("1.2.840.113549.1.1.1"), der(0x05)), seq(der(0x02, hex("00c1")), der(0x02, hex("00")))) },
      "x509: RSA public exponent is not a positive number",
    ],
    ["an EC key without a named curve", { spki: spki(seq(EC_PUBLIC_KEY), ecPoint) }, "x509: invalid ECDSA parameters"],
    ["an EC key on secp256k1", { spki: spki(seq(EC_PUBLIC_KEY, oid("1.3.132.0.10")), ecPoint) }, "x509: unsupported elliptic curve"],
    [
      "a compressed EC point",
      { spki: spki(ecAlgorithm, Buffer.concat([hex("02"), ecPoint.subarray(1, 33)])) },
      "ecdsa: invalid uncompressed public key",
    ],
    ["an uncompressed EC point of the wrong length", { spki: spki(ecAlgorithm, ecPoint.subarray(0, 64)) }, "invalid P256 point encoding"],
    [
      "an EC coordinate past the field prime",
      { spki: spki(ecAlgorithm, Buffer.concat([hex("04"), Buffer.alloc(64, 0xff)])) },
      "invalid P256 element encoding",
    ],
    [
      "a P-384 coordinate past the field prime",
      { spki: spki(seq(EC_PUBLIC_KEY, oid("1.3.132.0.34")), Buffer.concat([hex("04"), Buffer.alloc(96, 0xff)])) },
      "invalid P384Element encoding",
    ],
    [
      "an EC point off the curve",
      { spki: spki(ecAlgorithm, Buffer.concat([ecPoint.subarray(0, 64), Buffer.from([(ecPoint[64] ?? 0) ^ 1])])) },
      "P256 point not on curve",
    ],
    [
      "an Ed25519 key with parameters",
      { spki: spki(seq(oid("1.3.101.112"), der(0x05)), Buffer.alloc(32)) },
      "x509: Ed25519 key encoded with illegal parameters",
    ],
    ["an Ed25519 key of 31 bytes", { spki: spki(seq(oid("1.3.101.112")), Buffer.alloc(31)) }, "x509: wrong Ed25519 public key size"],
    ["a DSA key that is not an INTEGER", { spki: spki(seq(oid("1.2.840.10040.4.1")), hex("0500")) }, "x509: invalid DSA public key"],
    ["a DSA key without parameters", { spki: spki(seq(oid("1.2.840.10040.4.1")), der(0x02, hex("05"))) }, "x509: invalid DSA parameters"],
    [
      "a DSA key with a zero parameter",
      {
        spki: spki(
          seq(oid("1.2.840.10040.4.1"), seq(der(0x02, hex("05")), der(0x02, hex("00")), der(0x02, hex("03")))),
          der(0x02, hex("05")),
        ),
      },
      "x509: zero or negative DSA parameter",
    ],
    ["a bad issuerUniqueID", { tail: hex("8105") }, "x509: malformed issuerUniqueID"],
    ["a bad subjectUniqueID", { tail: hex("8205") }, "x509: malformed subjectUniqueID"],
    ["a signature that is not a BIT STRING", { signature: der(0x04, hex("00")) }, "x509: malformed signature"],
    [
      "no outer signature algorithm",
      { outerAlgorithm: Buffer.alloc(0), signature: Buffer.alloc(0) },
      "x509: malformed algorithm identifier",
    ],
  ])("%s", (_name, parts, message) => {
    expect(errorOf(parts)).toBe(message);
  });

  it("checks framing before the fields, and trailing data after them (ParseCertificate)", () => {
    // An empty TBSCertificate: the version defaults to v1, the serial is the first field missing.
    expect(parse(seq(seq(), seq()))).toEqual({ ok: false, error: "x509: malformed serial number" });
    expect(parse(Buffer.concat([certificate({ serial: der(0x02, hex("ff")) }), hex("00")]))).toEqual({
      ok: false,
      error: "x509: negative serial number",
    });
    expect(parse(Buffer.concat([certificate(), hex("00")]))).toEqual({ ok: false, error: "x509: trailing data" });
    expect(parse(seq(der(0x31)))).toEqual({ ok: false, error: "x509: malformed tbs certificate" });
    // A long-form length where the short form fits is not DER.
    expect(parse(Buffer.from([0x30, 0x81, 0x03, 0x30, 0x01, 0x00]))).toEqual({ ok: false, error: "x509: malformed certificate" });
  });

  it("a certificate OpenSSL reads but Go refuses is reported, not accepted", () => {
    // Node's X509Certificate reads a negative serial and a signature algorithm mismatch.
    const cert = certificate({ serial: der(0x02, hex("ff")) });
    expect(parse(cert)).toEqual({ ok: false, error: "x509: negative serial number" });
    expect(errorOf({ outerAlgorithm: seq(oid("1.2.840.10045.4.3.3")) })).toBe(
      "x509: inner and outer signature algorithm identifiers don't match",
    );
  });
});
