import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { utf8Text } from "./escape";
import { goUrlHostname, goUrlPort } from "./host-port";
import { goUrlParse, goUrlParseRequestUri, type GoUrlParsed } from "./parse";
import { goUrlStringBytes } from "./url-string";

/**
 * net/url's ParseRequestURI next to Parse (url.go ParseRequestURI, Parse,
 * parse with viaRequest, splitHostPort, URL.String), against what Go
 * printed for each input (parse-request-uri.golden.json).
 */

interface GoldenUrl {
  scheme: string;
  opaque: string;
  user: { username: string; password: string | null } | null;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  hostname: string;
  port: string;
  string: string;
}

interface GoldenCase {
  input: string;
  parseRequestURI: GoldenUrl | { error: string };
  parse: GoldenUrl | { error: string };
}

/**
 * Where Go 1.26.1 (what Kratos and Hydra v26.2.0 are built with) answers
 * otherwise than the Go 1.19 that printed the golden: parseHost's strict
 * colons (urlstrictcolons=1, the default of a `go 1.26` module: the first
 * colon starts the port) and CVE-2026-25679's "invalid IP-literal" for a
 * `[` that does not start the host. Go 1.26 also checks the address inside
 * brackets with netip.ParseAddr ("invalid host: …", and "invalid
 * IP-literal" for IPv4), which this module does not; every bracketed input
 * in the golden holds an IPv6 address, so both Go versions agree on them.
 */
const GO_1_26: Record<string, string> = {
  "https://h:80:90/": 'parse "https://h:80:90/": invalid port ":80:90" after host',
  "https://::1/": 'parse "https://::1/": invalid port "::1" after host',
  "https://x[::1]/": 'parse "https://x[::1]/": invalid IP-literal',
};

/** The golden answer, or Go 1.26's error where that differs. */
const expected = (input: string, go119: GoldenUrl | { error: string }) => {
  const go126 = GO_1_26[input];
  return go126 === undefined ? go119 : { error: go126 };
};

const golden = JSON.parse(readFileSync(path.join(__dirname, "parse-request-uri.golden.json"), "utf8")) as { cases: GoldenCase[] };

/** The golden's shape of an answer: Go's JSON writes each byte string as text. */
function asGolden(parsed: GoUrlParsed): GoldenUrl | { error: string } {
  // The error is text already: strconv.Quote wrote the bytes as runes.
  if (!parsed.ok) return { error: parsed.error };
  const { url } = parsed;
  return {
    scheme: utf8Text(url.scheme),
    opaque: utf8Text(url.opaque),
    user: url.user
      ? { username: utf8Text(url.user.username), password: url.user.password === undefined ? null : utf8Text(url.user.password) }
      : null,
    host: utf8Text(url.host),
    path: utf8Text(url.path),
    rawPath: utf8Text(url.rawPath),
    omitHost: url.omitHost,
    forceQuery: url.forceQuery,
    rawQuery: utf8Text(url.rawQuery),
    fragment: utf8Text(url.fragment),
    hostname: utf8Text(goUrlHostname(url)),
    port: utf8Text(goUrlPort(url)),
    string: utf8Text(goUrlStringBytes(url)),
  };
}

describe("url.ParseRequestURI (Go's answers)", () => {
  it.each(golden.cases.map((entry) => [entry.input, entry] as const))("%j", (_input, entry) => {
    expect(asGolden(goUrlParseRequestUri(entry.input))).toEqual(expected(entry.input, entry.parseRequestURI));
  });
});

describe("url.Parse on the same inputs (one parse() behind both)", () => {
  it.each(golden.cases.map((entry) => [entry.input, entry] as const))("%j", (_input, entry) => {
    expect(asGolden(goUrlParse(entry.input))).toEqual(expected(entry.input, entry.parse));
  });
});

describe("what a request target keeps that url.Parse splits off", () => {
  it("reads `#` as part of the path or query, not as a fragment", () => {
    const parsed = goUrlParseRequestUri("https://a/p#f?q#g");
    expect(parsed.ok && [parsed.url.path, parsed.url.rawQuery, parsed.url.fragment]).toEqual(["/p#f", "q#g", ""]);
  });

  it("takes `//host/x` without a scheme as a path, where url.Parse finds a host", () => {
    const request = goUrlParseRequestUri("//evil.example/x");
    const plain = goUrlParse("//evil.example/x");
    expect(request.ok && [request.url.host, request.url.path]).toEqual(["", "//evil.example/x"]);
    expect(plain.ok && [plain.url.host, plain.url.path]).toEqual(["evil.example", "/x"]);
  });
});
