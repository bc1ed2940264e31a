import { describe, expect, it } from "vitest";
import { secondFactorNotice } from "./second-factor-notice";

const NOW = 1_800_000_000_000;
const DAY = 24 * 60 * 60 * 1000;

describe("the second-factor notice on Hera's pages", () => {
  it("says nothing where no second factor is required or one is set up", () => {
    expect(secondFactorNotice({ required: false }, NOW)).toEqual({ kind: "none" });
    expect(secondFactorNotice({ required: true, enrolled: true, graceEndsAt: NOW + DAY }, NOW)).toEqual({ kind: "none" });
  });

  it("asks to set one up now once the grace period is over", () => {
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW }, NOW)).toEqual({ kind: "required" });
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: 0 }, NOW)).toEqual({ kind: "required" });
  });

  it("counts the days left of the grace period, rounded up", () => {
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW + 7 * DAY }, NOW)).toEqual({
      kind: "grace",
      daysLeft: 7,
    });
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW + 2 * DAY + 1 }, NOW)).toEqual({
      kind: "grace",
      daysLeft: 3,
    });
    expect(secondFactorNotice({ required: true, enrolled: false, graceEndsAt: NOW + 60_000 }, NOW)).toEqual({ kind: "grace", daysLeft: 1 });
  });
});
