import libphonenumber from "google-libphonenumber";
import { goToLower, goTrimSpace } from "@olympus/server-kit/text";
import { phoneNumberUtil } from "./jsonschema/phone-number-util";

/**
 * Kratos' identifier normalisation per channel (x/normalize.go), on the
 * phone metadata Kratos links (phone-number-util.ts).
 */

/** The E.164 form of a phone number, or nyaruka/phonenumbers' error text for one it cannot take. */
export type PhoneNormalization = { e164: string } | { error: string };

/**
 * google-libphonenumber's parse errors in nyaruka/phonenumbers v1.6.5's
 * words (phonenumbers.go: ErrNotANumber, ErrInvalidCountryCode,
 * ErrTooShortNSN, ErrTooShortAfterIDD, ErrNumTooLong) — the port throws the
 * same failures at the same steps.
 */
const GO_PARSE_ERRORS: Readonly<Record<string, string>> = {
  "The string supplied did not seem to be a phone number": "the phone number supplied is not a number",
  "Invalid country calling code": "invalid country code",
  "The string supplied is too short to be a phone number": "the string supplied is too short to be a phone number",
  "Phone number too short after IDD": "phone number had an IDD, but after this was not long enough to be a viable phone number",
  "The string supplied is too long to be a phone number": "the string supplied is too long to be a phone number",
};

/**
 * NormalizeIdentifier's `sms` case: phonenumbers.Parse without a default
 * region (only `+`-led international numbers parse), IsValidNumber, then
 * Format(E164) — `+49 (0)170 1234567` is `+491701234567`.
 */
export function normalizePhoneNumber(value: string): PhoneNormalization {
  let number: libphonenumber.PhoneNumber;
  try {
    number = phoneNumberUtil.parse(value, "");
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { error: GO_PARSE_ERRORS[text] ?? text };
  }
  if (!phoneNumberUtil.isValidNumber(number)) return { error: "the provided number is not a valid phone number" };
  return { e164: phoneNumberUtil.format(number, libphonenumber.PhoneNumberFormat.E164) };
}

/** NormalizeEmailIdentifier: only a value with an `@` is lower-cased and trimmed; any other is kept as it is. */
export function normalizeEmailIdentifier(value: string): string {
  return value.includes("@") ? goTrimSpace(goToLower(value)) : value;
}

/**
 * NormalizeIdentifier(value, via) for a `code` identifier's address: `email`
 * as NormalizeEmailIdentifier, `sms` to E.164 (its failure fails the trait),
 * anything else trimmed (NormalizeOtherIdentifier).
 */
export function normalizeCodeAddress(value: string, via: string): { address: string } | { error: string } {
  if (via === "email") return { address: normalizeEmailIdentifier(value) };
  if (via === "sms") {
    const phone = normalizePhoneNumber(value);
    return "e164" in phone ? { address: phone.e164 } : phone;
  }
  return { address: goTrimSpace(value) };
}

/**
 * GracefulNormalization, how the code strategy reads a submitted
 * identifier: a valid phone number in E.164, else an e-mail-like value
 * lower-cased and trimmed, else the value trimmed.
 */
export function gracefulNormalization(value: string): string {
  const phone = normalizePhoneNumber(value);
  if ("e164" in phone) return phone.e164;
  return value.includes("@") ? normalizeEmailIdentifier(value) : goTrimSpace(value);
}
