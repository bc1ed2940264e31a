import { describe, expect, it } from "vitest";
import { gracefulNormalization, normalizeCodeAddress, normalizeEmailIdentifier, normalizePhoneNumber } from "./normalize";

/**
 * Kratos v26.2 x/normalize.go (NormalizeEmailIdentifier, NormalizeIdentifier,
 * GracefulNormalization) on nyaruka/phonenumbers v1.6.5 (phonenumbers.go
 * Parse without a default region, IsValidNumber, Format E164; its error
 * values ErrNotANumber, ErrInvalidCountryCode, ErrTooShortNSN, ErrNumTooLong).
 */
describe("identifier normalisation per channel (x/normalize.go)", () => {
  it("formats a valid international phone number as E.164, whatever its punctuation", () => {
    for (const given of ["+49 170 1234567", "+49 (0)170 1234567", " +491701234567 ", "+49-170-123-4567"])
      expect(normalizePhoneNumber(given), given).toEqual({ e164: "+491701234567" });
  });

  it("answers nyaruka/phonenumbers' error texts for what it cannot take", () => {
    expect(normalizePhoneNumber("")).toEqual({ error: "the phone number supplied is not a number" });
    expect(normalizePhoneNumber("abc")).toEqual({ error: "the phone number supplied is not a number" });
    // No `+` and no default region: no country code to read.
    expect(normalizePhoneNumber("0170 1234567")).toEqual({ error: "invalid country code" });
    expect(normalizePhoneNumber("+49 1")).toEqual({ error: "the string supplied is too short to be a phone number" });
    expect(normalizePhoneNumber("9".repeat(251))).toEqual({ error: "the string supplied is too long to be a phone number" });
    // Parses, but IsValidNumber says no (NormalizeIdentifier's own text).
    expect(normalizePhoneNumber("+4917")).toEqual({ error: "the provided number is not a valid phone number" });
  });

  it("lower-cases and trims an e-mail only when it has an @ (NormalizeEmailIdentifier)", () => {
    expect(normalizeEmailIdentifier(" Ada@Example.COM ")).toBe("ada@example.com");
    expect(normalizeEmailIdentifier(" Ada ")).toBe(" Ada ");
    // strings.ToLower: Unicode's simple case mapping (no final sigma).
    expect(normalizeEmailIdentifier("ΟΔΥΣΣΕΥΣ@example.com")).toBe("οδυσσευσ@example.com");
  });

  it("normalises a code address by its channel (NormalizeIdentifier)", () => {
    expect(normalizeCodeAddress(" Ada@Example.COM", "email")).toEqual({ address: "ada@example.com" });
    expect(normalizeCodeAddress("+49 170 1234567", "sms")).toEqual({ address: "+491701234567" });
    expect(normalizeCodeAddress("12345", "sms")).toEqual({ error: "invalid country code" });
  });

  it("reads a submitted identifier gracefully: phone number, else e-mail, else trimmed (GracefulNormalization)", () => {
    expect(gracefulNormalization("+49 (0)170 1234567")).toBe("+491701234567");
    expect(gracefulNormalization(" Ada@Example.COM ")).toBe("ada@example.com");
    expect(gracefulNormalization(" Ada ")).toBe("Ada");
    // An invalid number is kept as a plain identifier.
    expect(gracefulNormalization(" +4917 ")).toBe("+4917");
  });
});
