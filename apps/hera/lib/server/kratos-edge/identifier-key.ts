import libphonenumber from "google-libphonenumber";
import { goToLower, goTrimSpace } from "@olympus/server-kit/text";

/**
 * The keys the edge counts an identifier or address under: the value Kratos
 * would look the account up by, so that every spelling Kratos resolves to one
 * person shares that person's counter. A spelling that gets a counter of its
 * own while Kratos resolves it to someone else's account is a way past the
 * limits; two spellings Kratos keeps apart sharing one counter only make the
 * limit stricter. Each key errs on the side of sharing.
 */

/**
 * How Kratos matches an identifier or address in its store: Go's
 * strings.ToLower(strings.TrimSpace(v)) (persistence/sql/identity/
 * persister_identity.go, stringToLowerTrim, used by NormalizeIdentifier for
 * password, code and webauthn identifiers and by the recovery and
 * verification address lookups). Not JavaScript's trim()/toLowerCase():
 * `victim@x.com\u0085` is the victim's account to Kratos (Go trims U+0085).
 */
export function identifierKey(value: string): string {
  return goToLower(goTrimSpace(value));
}

const phoneNumbers = libphonenumber.PhoneNumberUtil.getInstance();

/**
 * A phone number's E.164 form, or undefined for a value that does not parse
 * as one. Kratos parses with nyaruka/phonenumbers on libphonenumber v9.0.11's
 * metadata (the embedded Kratos loads that file); this counts with the
 * metadata google-libphonenumber bundles, which is fine for a counter key:
 * the number's validity is not asked, so a number the two metadata versions
 * judge differently still gets the one E.164 key for all its spellings (where
 * Kratos finds it invalid and keeps its spellings apart, they share a counter
 * here, which is only stricter). Parsing without a default region, as Kratos
 * does: only a `+`-led international number parses.
 */
export function phoneKey(value: string): string | undefined {
  try {
    return phoneNumbers.format(phoneNumbers.parse(value, ""), libphonenumber.PhoneNumberFormat.E164);
  } catch {
    return undefined;
  }
}

/**
 * How the code strategy matches an identifier or address: x.GracefulNormalization
 * (a valid phone number to E.164, else an e-mail trimmed and lower-cased, else
 * trimmed), then the store's match above. Kratos uses it for the code login's
 * identifier (strategy_login.go findIdentityForIdentifier); a registration's
 * `sms` code address is stored as NormalizeIdentifier(value, "sms"), the same
 * E.164 form (identity/extension_credentials.go).
 */
export function codeAddressKey(value: string): string {
  return phoneKey(value) ?? identifierKey(value);
}
