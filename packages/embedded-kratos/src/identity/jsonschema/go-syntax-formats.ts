import { RE2JS } from "re2js";
import { goUrlParse } from "@olympus/server-kit/go-url";
import { phoneNumberUtil as phoneUtil } from "./phone-number-util";

/**
 * The rest of ory/jsonschema's formats.go: `tel` (isPhone), `regex`
 * (isRegex), `uri-template` (isURITemplate) and the JSON pointers
 * (isJSONPointer, isRelativeJSONPointer), reproduced from their Go.
 */

/**
 * isPhone: phonenumbers.Parse with no default region (so only `+`-led
 * international numbers parse), then IsValidNumber. google-libphonenumber
 * is the library nyaruka/phonenumbers ports, here on Kratos' metadata (phone-number-util.ts).
 */
export function isPhone(text: string): boolean {
  try {
    return phoneUtil.isValidNumber(phoneUtil.parse(text, ""));
  } catch {
    return false;
  }
}

/** Go's regexp.Compile (RE2 syntax, Perl flags); re2js is a port of that parser. Throws Go's message. */
export function compileGoRegexp(source: string): RE2JS {
  return RE2JS.compile(source);
}

/** isRegex: regexp.Compile succeeds. */
export function isRegex(text: string): boolean {
  try {
    compileGoRegexp(text);
    return true;
  } catch {
    return false;
  }
}

/** isURITemplate: url.Parse succeeds and every segment of the raw path opens and closes its braces without nesting. */
export function isUriTemplate(text: string): boolean {
  const parsed = goUrlParse(text);
  if (!parsed.ok) return false;
  // Go's RawPath: set only where the path as written differs from escaping what it decodes to.
  for (const segment of parsed.url.rawPath.split("/")) {
    let depth = 0;
    for (const ch of segment) {
      if (ch === "{" && ++depth !== 1) return false;
      if (ch === "}" && --depth !== 0) return false;
    }
    if (depth !== 0) return false;
  }
  return true;
}

/** isJSONPointer: "" or `/`-led; a `~` must be followed by `0`, `1` or (as formats.go has it) another `~`. */
export function isJsonPointer(text: string): boolean {
  if (text !== "" && !text.startsWith("/")) return false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "~") continue;
    const next = text[i + 1];
    if (next !== "~" && next !== "0" && next !== "1") return false;
  }
  return true;
}

/** isRelativeJSONPointer: a lone `0` or digits without a leading zero, then `#` or a JSON pointer. */
export function isRelativeJsonPointer(text: string): boolean {
  const digits = /^(0|[1-9][0-9]*)/.exec(text);
  if (!digits) return false;
  const rest = text.slice(digits[0].length);
  return rest === "#" || isJsonPointer(rest);
}
