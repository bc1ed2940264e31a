import { describe, expect, it } from "vitest";
import { hasSecondFactor, MFA_GRACE_UNTIL_CLAIM, mfaGraceUntilOf, secondFactorGraceEndsAt } from "./second-factor";

/** A credential as Kratos' admin API lists it (config stripped). */
const credential = (type: string) => ({
  type,
  identifiers: ["x"],
  version: 0,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

describe("second factors from Kratos' identity JSON", () => {
  it("counts an authenticator app (totp) or a security key (webauthn)", () => {
    expect(hasSecondFactor({ credentials: { password: credential("password"), totp: credential("totp") } })).toBe(true);
    expect(hasSecondFactor({ credentials: { password: credential("password"), webauthn: credential("webauthn") } })).toBe(true);
  });

  it("does not count a password, backup codes alone, a passkey, or no credentials at all", () => {
    expect(hasSecondFactor({ credentials: { password: credential("password") } })).toBe(false);
    expect(hasSecondFactor({ credentials: { password: credential("password"), lookup_secret: credential("lookup_secret") } })).toBe(false);
    expect(hasSecondFactor({ credentials: { passkey: credential("passkey") } })).toBe(false);
    expect(hasSecondFactor({})).toBe(false);
    expect(hasSecondFactor({ credentials: null })).toBe(false);
    expect(hasSecondFactor({ credentials: "totp" })).toBe(false);
  });

  it("ends the grace period the given number of days after the identity was created", () => {
    const created = "2026-03-01T10:00:00Z";
    expect(secondFactorGraceEndsAt(created, 0)).toBe(Date.parse(created));
    expect(secondFactorGraceEndsAt(created, 7)).toBe(Date.parse("2026-03-08T10:00:00Z"));
    expect(secondFactorGraceEndsAt(undefined, 30)).toBe(0);
    expect(secondFactorGraceEndsAt("yesterday", 30)).toBe(0);
  });

  it("reads the grace end Hera put into Hydra's login context, and nothing else", () => {
    expect(mfaGraceUntilOf({ [MFA_GRACE_UNTIL_CLAIM]: 1_900_000_000 })).toBe(1_900_000_000);
    expect(mfaGraceUntilOf({ [MFA_GRACE_UNTIL_CLAIM]: "1900000000" })).toBeUndefined();
    expect(mfaGraceUntilOf({ [MFA_GRACE_UNTIL_CLAIM]: 0 })).toBeUndefined();
    expect(mfaGraceUntilOf(undefined)).toBeUndefined();
    expect(mfaGraceUntilOf({})).toBeUndefined();
  });
});
