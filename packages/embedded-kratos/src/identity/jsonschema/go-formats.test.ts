import { describe, expect, it } from "vitest";
import { FORMATS } from "./formats";

/** ory/jsonschema formats.go (isEmail, isHostname, isDate, isTime, isDateTime, isIPV4, isIPV6) and Kratos' x/email.go email_loose. */
describe("formats.go checks", () => {
  const check = (format: string, value: unknown) => FORMATS[format]?.(value);

  it("email: net/mail addr-spec, hostname domain, 64/254 byte limits", () => {
    for (const ok of [
      "a@example.com",
      "a.b+c@sub.example.com",
      "a@localhost",
      '"john doe"@example.com',
      "jöhn@example.com",
      " a@example.com",
    ])
      expect(check("email", ok), ok).toBe(true);
    for (const bad of [
      "a.@example.com",
      "a..b@example.com",
      "@example.com",
      "a@-example.com",
      "a@exa_mple.com",
      "a@",
      "ab",
      `${"a".repeat(65)}@x.com`,
      "John <a@example.com>",
    ])
      expect(check("email", bad), bad).toBe(false);
    // formats.go's email and the other Go checks fail a value that is not a string; Kratos' email_loose passes it.
    expect(check("email", 5)).toBe(false);
    expect(check("email_loose", 5)).toBe(true);
  });

  it("hostname: labels of 1–63 letters, digits, hyphens; the first character of the name not a hyphen", () => {
    expect(check("hostname", "example.com.")).toBe(true);
    expect(check("hostname", "a.-b.com")).toBe(true);
    expect(check("hostname", "-a.com")).toBe(false);
    expect(check("hostname", "a..com")).toBe(false);
    expect(check("hostname", "a-.com")).toBe(false);
  });

  it("date, time, date-time: Go's layouts", () => {
    expect(check("date", "2024-02-29")).toBe(true);
    expect(check("date", "2023-02-29")).toBe(false);
    expect(check("date", "2024-2-01")).toBe(false);
    expect(check("time", "23:59:59Z")).toBe(true);
    expect(check("time", "23:59:59,5+01:00")).toBe(true);
    expect(check("time", "23:59:60Z")).toBe(false);
    expect(check("time", "23:59:59")).toBe(false);
    expect(check("date-time", "2024-01-02T03:04:05.123456789Z")).toBe(true);
    expect(check("date-time", "2024-01-02t03:04:05Z")).toBe(false);
    expect(check("date-time", "2024-01-02 03:04:05Z")).toBe(false);
  });

  it("ipv4 reads groups with strconv.Atoi, ipv6 with net.ParseIP", () => {
    expect(check("ipv4", "001.2.3.4")).toBe(true);
    expect(check("ipv4", "1.2.3.256")).toBe(false);
    expect(check("ipv6", "::ffff:1.2.3.4")).toBe(true);
    expect(check("ipv6", "fe80::1%eth0")).toBe(false);
    expect(check("ipv6", "1.2.3.4")).toBe(false);
  });
});

describe("formats.go isURI / isURIReference (url.Parse)", () => {
  const check = (format: string, value: string) => FORMATS[format]?.(value);
  it("accepts what url.Parse accepts, absolute for uri", () => {
    for (const ok of [
      "https://example.com/a b",
      "mailto:a@example.com",
      "urn:isbn:123",
      "http://[::1]:8080/x",
      "file:///etc/x",
      "https://u:p@h.example/p?q=%zz",
    ])
      expect(check("uri", ok), ok).toBe(true);
    expect(check("uri", "/relative/path")).toBe(false);
    expect(check("uri-reference", "/relative/path")).toBe(true);
    expect(check("uri-reference", "a/b#frag")).toBe(true);
  });
  it("refuses control characters, bad escapes, bad ports and hosts, a colon in a relative first segment", () => {
    for (const bad of [
      "https://example.com/\n",
      "https://example.com/%zz",
      "https://example.com:80a/",
      "https://exa mple.com/",
      ":nothing",
      "https://h/#%g",
    ])
      expect(check("uri", bad), bad).toBe(false);
    expect(check("uri-reference", "1a:b")).toBe(false);
  });
});

describe("formats.go isURI: hosts as net/url parseHost and unescape(encodeHost, encodeZone) check them", () => {
  const check = (format: string, value: string) => FORMATS[format]?.(value);
  it("refuses an escaped ASCII byte in a host, an unclosed bracket and a zone escaping what a host cannot hold", () => {
    // RFC 3986: a host %-encodes only non-ASCII bytes (Go: invalid URL escape "%41").
    for (const bad of ["https://a%41.example/", "https://[::1/", "https://[fe80::1%25%2F]/"]) expect(check("uri", bad), bad).toBe(false);
    for (const ok of ["https://h%C3%A4.example/", "https://[fe80::1%25en0]/"]) expect(check("uri", ok), ok).toBe(true);
  });
});
