import { describe, expect, it } from "vitest";
import { goEscapedPath, goUrlParse } from "./parse";

/** net/url's Parse (url.go Parse, parse, getScheme, parseAuthority, parseHost, unescape, setPath); the texts are Go's. */

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
    const parsed = goUrlParse(raw);
    expect(parsed.ok && parsed.url.host).toBe(host);
  });

  it.each([
    ["http://a\u0001/", 'parse "http://a\\x01/": net/url: invalid control character in URL'],
    ["://x", 'parse "://x": missing protocol scheme'],
    ["1a:b", 'parse "1a:b": first path segment in URL cannot contain colon'],
    ["http://a:80x/", 'parse "http://a:80x/": invalid port ":80x" after host'],
    // Go 1.26's strict colons (urlstrictcolons=1): the first colon starts the port.
    ["http://a:b:c/", 'parse "http://a:b:c/": invalid port ":b:c" after host'],
    ["http://::1/", 'parse "http://::1/": invalid port "::1" after host'],
    // Go 1.26.1 (CVE-2026-25679): an IP literal must start the host.
    ["http://a[::1]:80/", 'parse "http://a[::1]:80/": invalid IP-literal'],
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
});

describe("url.URL fields", () => {
  it("keeps the raw path only where escaping the decoded path would not give it back (setPath, EscapedPath)", () => {
    const parsed = goUrlParse("HTTPS://u:p%40@h/a%2Fb c?x=1#f");
    expect(parsed.ok && parsed.url).toMatchObject({
      scheme: "https",
      user: { username: "u", password: "p@" },
      host: "h",
      path: "/a/b c",
      rawPath: "/a%2Fb c",
      rawQuery: "x=1",
      fragment: "f",
    });
    // The raw path holds a byte it would escape (the space), so EscapedPath escapes the decoded path.
    if (parsed.ok) expect(goEscapedPath(parsed.url)).toBe("/a/b%20c");
    const plain = goUrlParse("https://h/a%20b");
    expect(plain.ok && plain.url.rawPath).toBe("");
  });

  it("reads a lone trailing `?` as ForceQuery and a rootless path after a scheme as opaque", () => {
    const forced = goUrlParse("https://h/?");
    expect(forced.ok && [forced.url.forceQuery, forced.url.rawQuery]).toEqual([true, ""]);
    const opaque = goUrlParse("mailto:Joe@Example.com");
    expect(opaque.ok && [opaque.url.opaque, opaque.url.path]).toEqual(["Joe@Example.com", ""]);
  });
});
