import { describe, expect, it } from "vitest";
import { goJoseJwkError } from "../go-jose-jwk";
import { goUrlParse } from "./net-url";

/**
 * net/url's Parse (url.go Parse, parse, getScheme, parseAuthority,
 * parseHost, unescape) and its use for go-jose's `x5u` (jwk.go
 * UnmarshalJSON: "x5u header is invalid URL: %w").
 */

describe("url.Parse", () => {
  it.each([
    ["https://example.com/x", "example.com"],
    ["http://u:p@a:80/", "a:80"],
    ["http://[fe80::1%25en0]:443/", "[fe80::1%en0]:443"],
    ["http://a%c3%a9/", "a\u00c3\u00a9"],
    ["mailto:user@example.com", ""],
    ["a?b?", ""],
    ["*", ""],
    ["", ""],
    ["/a:b", ""],
    ["http://a/b#c d", "a"],
    ["http://a/#\u0001", "a"],
  ])("accepts %j (Host %j)", (raw, host) => {
    expect(goUrlParse(raw)).toEqual({ ok: true, host });
  });

  it.each([
    ["http://a\u0001/", 'parse "http://a\\x01/": net/url: invalid control character in URL'],
    ["://x", 'parse "://x": missing protocol scheme'],
    ["1a:b", 'parse "1a:b": first path segment in URL cannot contain colon'],
    ["http://a:80x/", 'parse "http://a:80x/": invalid port ":80x" after host'],
    ["http://a:b:c/", 'parse "http://a:b:c/": invalid port ":c" after host'],
    ["http://[::1", "parse \"http://[::1\": missing ']' in host"],
    ["http://[::1]x/", 'parse "http://[::1]x/": invalid port "x" after host'],
    ["http://a b/", 'parse "http://a b/": invalid character " " in host name'],
    ["http://%zz/", 'parse "http://%zz/": invalid URL escape "%zz"'],
    ["http://a%41/", 'parse "http://a%41/": invalid URL escape "%41"'],
    ["http://[fe80::1%25%2F]/", 'parse "http://[fe80::1%25%2F]/": invalid URL escape "%2F"'],
    ["http://u p@a/", 'parse "http://u p@a/": net/url: invalid userinfo'],
    ["http://u:p%zz@a/", 'parse "http://u:p%zz@a/": invalid URL escape "%zz"'],
    ["http://a/%2", 'parse "http://a/%2": invalid URL escape "%2"'],
    ["http://a/#%zz", 'parse "http://a/#%zz": invalid URL escape "%zz"'],
  ])("refuses %j", (raw, message) => {
    expect(goUrlParse(raw)).toEqual({ ok: false, error: message });
  });

  it("go-jose refuses an x5u url.Parse refuses, and checks it after the key", () => {
    const key = { kty: "oct", k: "c2VjcmV0" };
    expect(goJoseJwkError({ ...key, x5u: "https://example.com/certs" })).toBeUndefined();
    expect(goJoseJwkError({ ...key, x5u: "https://example.com:x/" })).toBe(
      'go-jose/go-jose: invalid JWK, x5u header is invalid URL: parse "https://example.com:x/": invalid port ":x" after host',
    );
    expect(goJoseJwkError({ kty: "oct", x5u: "::" })).toBe("go-jose/go-jose: invalid OCT (symmetric) key, missing k value");
  });
});
