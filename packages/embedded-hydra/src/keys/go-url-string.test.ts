import { describe, expect, it } from "vitest";
import { goUrlString } from "./go-url-string";

/**
 * Goldens from a Go build: `url.Parse(in)` then `(*url.URL).String()`
 * (net/url url.go Parse, setPath, setFragment, EscapedPath,
 * EscapedFragment, Userinfo.String, URL.String), printed by Go 1.19.8.
 * String's escaping has not changed since (Go 1.26's net/url refuses more
 * hosts in Parse, e.g. unbracketed colons, which only decides whether a
 * URL is accepted — keys/x509/net-url.ts). go-jose v3.0.4 jwk.go
 * JSONWebKey.MarshalJSON answers `x5u` as this String().
 */
const GO_GOLDENS: [string, string][] = [
  ["HTTP://h/a b", "http://h/a%20b"],
  ["https://example.com/certs", "https://example.com/certs"],
  ["https://user:p%40ss@h/x", "https://user:p%40ss@h/x"],
  ["https://h/%7Efoo", "https://h/%7Efoo"],
  ["https://h/a%2Fb", "https://h/a%2Fb"],
  ["https://h/ä", "https://h/%C3%A4"],
  ["https://h/a?b c", "https://h/a?b c"],
  ["https://h/a#frag ment", "https://h/a#frag%20ment"],
  ["https://h/#%7E", "https://h/#%7E"],
  ["https://h?", "https://h?"],
  ["mailto:Joe@Example.com", "mailto:Joe@Example.com"],
  ["HTTPS:opaque path", "https:opaque path"],
  ["/relative/path", "/relative/path"],
  ["//host/path", "//host/path"],
  ["https://[fe80::1%25en0]:8080/", "https://[fe80::1%25en0]:8080/"],
  ["https://h%C3%A4/", "https://h%C3%A4/"],
  ["https://hä/", "https://h%C3%A4/"],
  ["https://h/a;b,c", "https://h/a;b,c"],
  ["*", "*"],
  ["https://h/a%20b", "https://h/a%20b"],
  ["https://h/a+b", "https://h/a+b"],
  ["https://h/[x]", "https://h/[x]"],
  ["https://h/a b%2F", "https://h/a%20b/"],
  ["http:/x", "http:/x"],
  ["http:///x", "http:///x"],
  ["http:", "http:"],
  ["HTTP:", "http:"],
  ["https://user@h", "https://user@h"],
  ["https://u%3Ar:p@h", "https://u%3Ar:p@h"],
  ["https://u!$&'()*+,;=:pw@h", "https://u%21$&%27%28%29%2A+,;=:pw@h"],
  ["https://h/a'b!", "https://h/a'b!"],
  ["https://h#a'b", "https://h#a'b"],
  ["https://h#a b'", "https://h#a%20b%27"],
  ["HtTp://H/", "http://H/"],
  ["./a:b", "./a:b"],
  ["%2e/a:b", "%2e/a:b"],
  ["https://h/?q=ä", "https://h/?q=ä"],
  ["https://h:/", "https://h:/"],
  ["https://h", "https://h"],
  ["https://h#", "https://h"],
  ["https://h/a#%41", "https://h/a#%41"],
  ["https://@h/", "https://@h/"],
  ["https://:@h/", "https://:@h/"],
  ["https://h/%zz", 'ERR parse "https://h/%zz": invalid URL escape "%zz"'],
  ["a b", "a%20b"],
  ['https://h/a"b<>', "https://h/a%22b%3C%3E"],
  ["https://h/a%2520", "https://h/a%2520"],
  ["x:/a b?c#d e", "x:/a%20b?c#d%20e"],
  ["https://h/%E2%82%AC", "https://h/%E2%82%AC"],
  ["https://h/€", "https://h/%E2%82%AC"],
  ["https://h/a%e2%82%ac", "https://h/a%e2%82%ac"],
  ["https://h#%e2%82%ac", "https://h#%e2%82%ac"],
  ["//", ""],
  ["///a b", "///a%20b"],
  ["%2A", "*"],
  ["%2a", "%2a"],
  ["a?b?", "a?b?"],
  ["https://h/%2A", "https://h/%2A"],
  ["https://h/a?b#c#d", "https://h/a?b#c%23d"],
  ["https://h/?", "https://h/?"],
  ["https://h/??", "https://h/??"],
  ["HTTP://[::1]/a", "http://[::1]/a"],
];

describe("goUrlString (net/url URL.String of url.Parse)", () => {
  it.each(GO_GOLDENS)("%j -> %j", (input, expected) => {
    expect(goUrlString(input)).toBe(expected.startsWith("ERR ") ? undefined : expected);
  });

  it("is stable: String of the parsed String is the same text (a stored key marshals again unchanged)", () => {
    for (const [, expected] of GO_GOLDENS) {
      if (expected.startsWith("ERR ") || expected === "") continue;
      expect(goUrlString(expected)).toBe(expected);
    }
  });
});
