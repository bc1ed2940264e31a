import { describe, expect, it } from "vitest";
import { secondFactorVerdict } from "./second-factor";

const NOW = 1_800_000_000;

describe("Athena's own check of IAM's second factor (ID token acr, Hera's grace claim)", () => {
  it("admits a sign-in made with a second factor", () => {
    expect(secondFactorVerdict({ acr: "aal2" }, NOW)).toEqual({ ok: true, via: "aal2" });
    expect(secondFactorVerdict({ acr: "aal3" }, NOW)).toEqual({ ok: true, via: "aal2" });
  });

  it("refuses a password-only sign-in Hera did not vouch for (attack: the password alone opened Athena)", () => {
    expect(secondFactorVerdict({ acr: "aal1" }, NOW)).toEqual({
      ok: false,
      reason: "signed in without a second factor (acr aal1) and no grace period from Hera IAM",
    });
    expect(secondFactorVerdict({}, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining("acr none") });
    expect(secondFactorVerdict({ acr: ["aal2"] }, NOW)).toMatchObject({ ok: false });
  });

  it("admits a password-only sign-in only while the grace period Hera vouched for lasts", () => {
    expect(secondFactorVerdict({ acr: "aal1", olympus_mfa_grace_until: NOW + 3600 }, NOW)).toEqual({
      ok: true,
      via: "grace",
      graceUntil: NOW + 3600,
    });
    expect(secondFactorVerdict({ acr: "aal1", olympus_mfa_grace_until: NOW }, NOW)).toEqual({
      ok: false,
      reason: "signed in without a second factor (acr aal1) after the grace period ended",
    });
    expect(secondFactorVerdict({ acr: "aal1", olympus_mfa_grace_until: `${NOW + 3600}` }, NOW)).toMatchObject({ ok: false });
    expect(secondFactorVerdict({ acr: "aal1", olympus_mfa_grace_until: NOW + 0.5 }, NOW)).toMatchObject({ ok: false });
  });
});
