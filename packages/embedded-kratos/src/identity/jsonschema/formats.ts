import { isIPv6 } from "node:net";
import { isDate, isDateTime, isEmail, isHostname, isIPv4, isTime, isUri, isUriReference } from "./go-formats";
import { isJsonPointer, isPhone, isRegex, isRelativeJsonPointer, isUriTemplate } from "./go-syntax-formats";

/**
 * The `format` checks of the validator Kratos runs: ory/jsonschema's
 * formats.go names (each false for a value that is not a string), Kratos'
 * `email_loose` (x/email.go) and `no-validate` (identity/extension_verification.go),
 * both true for non-strings. A name outside this list is not checked, as in
 * ory/jsonschema. `hostname`, `email`, the dates and times, the IP
 * addresses and the URI family follow the Go checks (go-formats.ts); `tel`,
 * `regex`, `uri-template` and the JSON pointers those of go-syntax-formats.ts.
 */
export type FormatCheck = (value: unknown) => boolean;

const stringsOnly =
  (check: (text: string) => boolean): FormatCheck =>
  (value) =>
    typeof value === "string" && check(value);

const emailLooseShape = /^[^\s@]+@[^\s@]+$/;

export const FORMATS: Record<string, FormatCheck> = {
  "date-time": stringsOnly(isDateTime),
  date: stringsOnly(isDate),
  time: stringsOnly(isTime),
  hostname: stringsOnly(isHostname),
  email: stringsOnly(isEmail),
  tel: stringsOnly(isPhone),
  "ip-address": stringsOnly(isIPv4),
  ipv4: stringsOnly(isIPv4),
  // net.ParseIP takes no zone (`%eth0`); formats.go requires a colon.
  ipv6: stringsOnly((text) => text.includes(":") && !text.includes("%") && isIPv6(text)),
  uri: stringsOnly(isUri),
  iri: stringsOnly(isUri),
  "uri-reference": stringsOnly(isUriReference),
  uriref: stringsOnly(isUriReference),
  "iri-reference": stringsOnly(isUriReference),
  "uri-template": stringsOnly(isUriTemplate),
  regex: stringsOnly(isRegex),
  "json-pointer": stringsOnly(isJsonPointer),
  "relative-json-pointer": stringsOnly(isRelativeJsonPointer),
  email_loose: (value) => typeof value !== "string" || emailLooseShape.test(value),
  "no-validate": () => true,
};
