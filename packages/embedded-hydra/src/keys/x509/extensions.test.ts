import { describe, expect, it } from "vitest";
import { parseCertificateChain } from "../go-x509";
import { certificate, der, extension, extensions, hex, oid, seq, type CertificateParts } from "./test-certificate";

/**
 * The extensions of a v3 certificate in Go 1.26's x509.ParseCertificate
 * (crypto/x509/parser.go parseCertificate's extension loop, parseExtension,
 * processExtensions, parseSANExtension, parseNameConstraintsExtension):
 * the first one Go cannot read gives its text.
 */

const errorOf = (parts: CertificateParts) => {
  const result = parseCertificateChain([certificate(parts).toString("base64")]);
  return result.ok ? undefined : result.error;
};

describe("processExtensions refuses with Go's text", () => {
  it.each([
    ["a bad extensions element", { tail: hex("a305") }, "x509: malformed extensions"],
    ["extensions that are not a SEQUENCE", { tail: der(0xa3, der(0x31)) }, "x509: malformed extensions"],
    ["an extension that is not a SEQUENCE", { tail: extensions(der(0x31)) }, "x509: malformed extension"],
    ["an extension without an OID", { tail: extensions(seq(der(0x04))) }, "x509: malformed extension OID field"],
    [
      "an extension with a bad critical flag",
      { tail: extensions(seq(oid("1.2.3"), der(0x01, hex("01")), der(0x04))) },
      "x509: malformed extension critical field",
    ],
    ["an extension without a value", { tail: extensions(seq(oid("1.2.3"))) }, "x509: malformed extension value field"],
    [
      "the same extension twice",
      { tail: extensions(extension("2.5.29.19", seq()), extension("2.5.29.19", seq())) },
      'x509: certificate contains duplicate extension with OID "2.5.29.19"',
    ],
    ["a bad key usage", { tail: extensions(extension("2.5.29.15", der(0x03, hex("0781")))) }, "x509: invalid key usage"],
    [
      "basic constraints with a negative path length",
      { tail: extensions(extension("2.5.29.19", seq(der(0x02, hex("ff"))))) },
      "x509: invalid basic constraints",
    ],
    [
      "a SAN IP address of 5 bytes",
      { tail: extensions(extension("2.5.29.17", seq(der(0x87, hex("0102030405"))))) },
      "x509: cannot parse IP address of length 5",
    ],
    [
      "a SAN IPv4-mapped IPv6 address",
      { tail: extensions(extension("2.5.29.17", seq(der(0x87, hex("00000000000000000000ffff7f000001"))))) },
      "x509: SAN iPAddress contains IPv4-mapped IPv6 address",
    ],
    [
      "a SAN DNS name past ASCII",
      { tail: extensions(extension("2.5.29.17", seq(der(0x82, hex("c3a9"))))) },
      "x509: SAN dNSName is malformed",
    ],
    [
      "a SAN URI with a control character",
      { tail: extensions(extension("2.5.29.17", seq(der(0x86, Buffer.from("https://a/\u0001#f"))))) },
      'x509: cannot parse URI "https://a/\\x01#f": parse "https://a/\\x01": net/url: invalid control character in URL',
    ],
    [
      "a SAN URI url.Parse refuses",
      { tail: extensions(extension("2.5.29.17", seq(der(0x86, Buffer.from("https://a:x/"))))) },
      'x509: cannot parse URI "https://a:x/": parse "https://a:x/": invalid port ":x" after host',
    ],
    [
      "a SAN URI whose host has an empty label",
      { tail: extensions(extension("2.5.29.17", seq(der(0x86, Buffer.from("https://a..b/"))))) },
      'x509: cannot parse URI "https://a..b/": invalid domain',
    ],
    ["SANs that are not a SEQUENCE", { tail: extensions(extension("2.5.29.17", der(0x31))) }, "x509: invalid subject alternative names"],
    [
      "name constraints with neither subtree",
      { tail: extensions(extension("2.5.29.30", seq())) },
      "x509: empty name constraints extension",
    ],
    [
      "name constraints with an empty subtree",
      { tail: extensions(extension("2.5.29.30", seq(der(0xa0)))) },
      "x509: empty name constraints subtree sequence",
    ],
    [
      "a DNS constraint ending in a dot",
      { tail: extensions(extension("2.5.29.30", seq(der(0xa1, seq(der(0x82, Buffer.from("example.com."))))))) },
      'x509: failed to parse dnsName constraint "example.com."',
    ],
    [
      "an email constraint that is no mailbox",
      { tail: extensions(extension("2.5.29.30", seq(der(0xa0, seq(der(0x81, Buffer.from("a..b@example.com"))))))) },
      'x509: failed to parse rfc822Name constraint "a..b@example.com"',
    ],
    [
      "a URI constraint that is an IP address",
      { tail: extensions(extension("2.5.29.30", seq(der(0xa0, seq(der(0x86, Buffer.from("10.0.0.1"))))))) },
      'x509: failed to parse URI constraint "10.0.0.1": cannot be IP address',
    ],
    [
      "an IP constraint with a bad mask",
      { tail: extensions(extension("2.5.29.30", seq(der(0xa0, seq(der(0x87, hex("0a000000ff00ff00"))))))) },
      "x509: IP constraint contained invalid mask ff00ff00",
    ],
    [
      "a DNS constraint past ASCII",
      { tail: extensions(extension("2.5.29.30", seq(der(0xa0, seq(der(0x82, hex("c3a9"))))))) },
      'x509: invalid constraint value: x509: "é" cannot be encoded as an IA5String',
    ],
    [
      "a critical authority key identifier",
      { tail: extensions(extension("2.5.29.35", seq(), true)) },
      "x509: authority key identifier incorrectly marked critical",
    ],
    [
      "a critical subject key identifier",
      { tail: extensions(extension("2.5.29.14", der(0x04), true)) },
      "x509: subject key identifier incorrectly marked critical",
    ],
    ["a bad CRL distribution point", { tail: extensions(extension("2.5.29.31", seq(der(0x04)))) }, "x509: invalid CRL distribution point"],
    [
      "a bad extended key usage",
      { tail: extensions(extension("2.5.29.37", seq(der(0x02, hex("01"))))) },
      "x509: invalid extended key usages",
    ],
    [
      "a policy listed twice",
      { tail: extensions(extension("2.5.29.32", seq(seq(oid("1.2.3")), seq(oid("1.2.3"))))) },
      "x509: invalid certificate policies",
    ],
    [
      "a bad policy mapping",
      { tail: extensions(extension("2.5.29.33", seq(seq(oid("1.2.3"))))) },
      "x509: invalid policy mappings extension",
    ],
    [
      "bad policy constraints",
      { tail: extensions(extension("2.5.29.36", seq(der(0x80, hex("0001"))))) },
      "x509: invalid policy constraints extension",
    ],
    ["a bad inhibitAnyPolicy", { tail: extensions(extension("2.5.29.54", der(0x04))) }, "x509: invalid inhibit any policy extension"],
    [
      "a critical authority info access",
      { tail: extensions(extension("1.3.6.1.5.5.7.1.1", seq(), true)) },
      "x509: authority info access incorrectly marked critical",
    ],
  ])("%s", (_name, parts, message) => {
    expect(errorOf(parts)).toBe(message);
  });
});
