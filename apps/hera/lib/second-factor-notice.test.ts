import { describe, expect, it } from "vitest";
import { describeSecondFactorMethods, secondFactorNotice } from "./second-factor-notice";

const NOW = 1_800_000_000_000;
const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_METHODS = ["totp", "webauthn"];

describe("the second-factor notice on Hera's pages", () => {
  it("says nothing where no second factor is required or one is set up", () => {
    expect(secondFactorNotice({ required: false }, NOW)).toEqual({ kind: "none" });
    expect(secondFactorNotice({ required: true, enrolled: true, graceEndsAt: NOW + DAY }, NOW)).toEqual({ kind: "none" });
  });

  it("asks to set one up now once the grace period is over", () => {
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW }, NOW)).toEqual({
      kind: "required",
      methods: DEFAULT_METHODS,
    });
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: 0 }, NOW)).toEqual({
      kind: "required",
      methods: DEFAULT_METHODS,
    });
  });

  it("counts the days left of the grace period, rounded up", () => {
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW + 7 * DAY }, NOW)).toEqual({
      kind: "grace",
      daysLeft: 7,
      methods: DEFAULT_METHODS,
    });
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW + 2 * DAY + 1 }, NOW)).toMatchObject({
      kind: "grace",
      daysLeft: 3,
    });
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW + 60_000 }, NOW)).toMatchObject({
      kind: "grace",
      daysLeft: 1,
    });
  });

  it("names only the methods the policy allows", () => {
    const onlyKeys = secondFactorNotice({ required: true, enrolled: false, graceEndsAt: 0, allowedMethods: ["webauthn"] }, NOW);
    expect(onlyKeys).toEqual({ kind: "required", methods: ["webauthn"] });
    expect(describeSecondFactorMethods(["webauthn"])).toBe("a security key or passkey");
    expect(describeSecondFactorMethods(["totp"])).toBe("an authenticator app (TOTP)");
    expect(describeSecondFactorMethods(["totp", "webauthn", "lookup_secret"])).toBe(
      "an authenticator app (TOTP), a security key or passkey, or backup codes",
    );
    expect(describeSecondFactorMethods([])).toBe("a second factor");
  });
});
