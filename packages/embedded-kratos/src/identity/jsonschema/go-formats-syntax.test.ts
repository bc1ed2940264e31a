import { describe, expect, it } from "vitest";
import { FORMATS } from "./formats";

const check = (format: string, value: unknown) => FORMATS[format]?.(value);

/** ory/jsonschema formats.go isPhone: phonenumbers.Parse(num, "") then phonenumbers.IsValidNumber. */
describe("formats.go isPhone (tel)", () => {
  it("accepts numbers libphonenumber knows as valid, in any formatting it parses", () => {
    for (const ok of ["+4917612345678", "+1 650 253 0000", "+49 (176) 1234-5678", "tel:+1-650-253-0000"])
      expect(check("tel", ok), ok).toBe(true);
  });
  it("refuses numbers without a country code (no default region), impossible numbers and non-strings", () => {
    for (const bad of ["017612345678", "004917612345678", "+1234", "+1 555 0100", "+49 (176)", "", 4917612345678])
      expect(check("tel", bad), String(bad)).toBe(false);
  });
  it("judges on libphonenumber v9.0.11's metadata, nyaruka/phonenumbers v1.6.5's (Kratos v26.2 go.mod), not the npm package's v9.0.14", () => {
    // Each was allocated between v9.0.11 and v9.0.14: google-libphonenumber 3.2.43 alone accepts them.
    for (const newer of ["+1 686 234 5678", "+598 2112 3", "+975 87 012 345", "+968 750 12345"])
      expect(check("tel", newer), newer).toBe(false);
    for (const known of ["+1 201 555 0123", "+598 2123 4567", "+975 17 12 3456", "+968 9212 3456"])
      expect(check("tel", known), known).toBe(true);
  });
});

/** ory/jsonschema formats.go isRegex: Go's regexp.Compile (RE2 syntax). */
describe("formats.go isRegex", () => {
  it("accepts RE2 syntax JavaScript lacks", () => {
    for (const ok of ["(?i)abc", "(?P<name>a)", "[[:alpha:]]+", "\\pL", "a{2,5}", "\\z"]) expect(check("regex", ok), ok).toBe(true);
  });
  it("refuses what Go cannot compile: lookaround, backreferences, \\Z, repeat counts over 1000", () => {
    for (const bad of ["(?=a)", "(?!a)", "(a)\\1", "\\Z", "a{2,1001}", "a**", "("]) expect(check("regex", bad), bad).toBe(false);
  });
});

/** ory/jsonschema formats.go isURITemplate: url.Parse succeeds, braces balance (no nesting) in each segment of the raw path. */
describe("formats.go isURITemplate", () => {
  it("accepts templates, checking only the path's braces", () => {
    for (const ok of ["http://example.com/{id}", "/users/{id}/x", "http://example.com/a?q={{x", "{a}b/{c}", "plain"])
      expect(check("uri-template", ok), ok).toBe(true);
  });
  it("refuses nested or unbalanced braces in a path segment and what url.Parse refuses", () => {
    for (const bad of ["http://example.com/{{id}}", "/a/{b", "/a}/b", "http://{host}/x", "%zz", ":x"])
      expect(check("uri-template", bad), bad).toBe(false);
  });
});

/** ory/jsonschema formats.go isJSONPointer and isRelativeJSONPointer. */
describe("formats.go isJSONPointer / isRelativeJSONPointer", () => {
  it("json-pointer: empty or /-led, `~` followed by 0, 1 or (formats.go) another `~`", () => {
    for (const ok of ["", "/", "/a~0b", "/a~1b", "/a~~0", "/ %"]) expect(check("json-pointer", ok), ok).toBe(true);
    for (const bad of ["a", "/a~", "/a~2", "/a~~", "#/a"]) expect(check("json-pointer", bad), bad).toBe(false);
  });
  it("relative-json-pointer: digits (a leading 0 stands alone), then `#` or a JSON pointer", () => {
    for (const ok of ["0", "1#", "12/a", "0/a~1b", "3"]) expect(check("relative-json-pointer", ok), ok).toBe(true);
    for (const bad of ["", "#", "01/a", "1a", "-1", "1/a~"]) expect(check("relative-json-pointer", bad), bad).toBe(false);
  });
});
