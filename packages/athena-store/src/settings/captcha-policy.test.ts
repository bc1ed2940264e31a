import { describe, expect, it } from "vitest";
import { captchaPolicyFromSettings, DEFAULT_CAPTCHA_POLICY } from "./captcha-policy";

describe("the CAPTCHA policy as Hera reads it from the settings", () => {
  it("keeps the defaults while nothing is stored", () => {
    expect(captchaPolicyFromSettings(new Map())).toEqual({ policy: DEFAULT_CAPTCHA_POLICY, invalid: [] });
  });

  it("reads the stored texts as Athena's form writes them", () => {
    const stored = new Map([
      ["captcha.registration", "on"],
      ["captcha.recovery", "false"],
      ["captcha.login_after_failures", "5"],
      ["captcha.difficulty", "2000"],
    ]);
    expect(captchaPolicyFromSettings(stored)).toEqual({
      policy: { registration: true, recovery: false, loginAfterFailures: 5, difficulty: 2000 },
      invalid: [],
    });
  });

  it("keeps a key's default when its stored text no longer parses, and names every such key", () => {
    const stored = new Map([
      ["captcha.registration", "maybe"],
      ["captcha.recovery", "yes"],
      ["captcha.login_after_failures", "101"],
      ["captcha.difficulty", "999"],
    ]);
    expect(captchaPolicyFromSettings(stored)).toEqual({
      policy: { ...DEFAULT_CAPTCHA_POLICY, recovery: true },
      invalid: ["captcha.registration", "captcha.login_after_failures", "captcha.difficulty"],
    });
  });
});
