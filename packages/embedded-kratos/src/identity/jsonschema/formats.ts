import { isIPv6 } from "node:net";
import type { Format } from "ajv";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { isDate, isDateTime, isEmail, isHostname, isIPv4, isTime, isUri, isUriReference } from "./go-formats";

/**
 * The `format` checks of the validator Kratos runs: ory/jsonschema's
 * formats.go names (each false for a value that is not a string), Kratos'
 * `email_loose` (x/email.go) and `no-validate` (identity/extension_verification.go),
 * both true for non-strings. A name outside this list is not checked, as in
 * ory/jsonschema. `hostname`, `email`, the dates and times, the IP
 * addresses and the URI family follow the Go checks (go-formats.ts); `tel`
 * is a shape check (Kratos asks libphonenumber) and `uri-template`, `regex`
 * and the JSON pointers are ajv-formats' checks.
 */
export type FormatCheck = (value: unknown) => boolean;

function fromAjv(format: Format): (text: string) => boolean {
  if (format instanceof RegExp) return (text) => format.test(text);
  if (typeof format === "function") return (text) => format(text) === true;
  if (typeof format === "object" && !format.async && typeof format.validate !== "string") {
    const validate = format.validate;
    if (validate instanceof RegExp) return (text) => validate.test(text);
    return (text) => (validate as (data: string) => boolean)(text) === true;
  }
  return () => true;
}

const stringsOnly =
  (check: (text: string) => boolean): FormatCheck =>
  (value) =>
    typeof value === "string" && check(value);

// Kratos stores numbers in E.164; a loose shape check stands in for libphonenumber.
const telShape = /^\+?[0-9 ()-]{4,}$/;
const emailLooseShape = /^[^\s@]+@[^\s@]+$/;

export const FORMATS: Record<string, FormatCheck> = {
  "date-time": stringsOnly(isDateTime),
  date: stringsOnly(isDate),
  time: stringsOnly(isTime),
  hostname: stringsOnly(isHostname),
  email: stringsOnly(isEmail),
  tel: stringsOnly((text) => telShape.test(text)),
  "ip-address": stringsOnly(isIPv4),
  ipv4: stringsOnly(isIPv4),
  // net.ParseIP takes no zone (`%eth0`); formats.go requires a colon.
  ipv6: stringsOnly((text) => text.includes(":") && !text.includes("%") && isIPv6(text)),
  uri: stringsOnly(isUri),
  iri: stringsOnly(isUri),
  "uri-reference": stringsOnly(isUriReference),
  uriref: stringsOnly(isUriReference),
  "iri-reference": stringsOnly(isUriReference),
  "uri-template": stringsOnly(fromAjv(fullFormats["uri-template"])),
  regex: stringsOnly(fromAjv(fullFormats.regex)),
  "json-pointer": stringsOnly(fromAjv(fullFormats["json-pointer"])),
  "relative-json-pointer": stringsOnly(fromAjv(fullFormats["relative-json-pointer"])),
  email_loose: (value) => typeof value !== "string" || emailLooseShape.test(value),
  "no-validate": () => true,
};
