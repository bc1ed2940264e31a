import { describe, expect, it } from "vitest";
import { CAPTCHA_SETTING_KEYS, captchaPolicyFromSettings, DEFAULT_CAPTCHA_POLICY } from "@olympus/athena-store/settings";
import { createCaptchaPolicySource } from "./policy";

describe("the CAPTCHA policy from Athena's settings", () => {
  it("reads the stored texts as Athena's catalogue writes them, bounds included", () => {
    const stored = new Map([
      [CAPTCHA_SETTING_KEYS.registration, "on"],
      [CAPTCHA_SETTING_KEYS.recovery, "off"],
      [CAPTCHA_SETTING_KEYS.loginAfterFailures, "5"],
      [CAPTCHA_SETTING_KEYS.difficulty, "20000"],
    ]);
    expect(captchaPolicyFromSettings(stored)).toEqual({
      policy: { registration: true, recovery: false, loginAfterFailures: 5, difficulty: 20_000 },
      invalid: [],
    });
  });

  it("keeps the default of an unset key, and of a value it does not understand (named once)", () => {
    expect(captchaPolicyFromSettings(new Map())).toEqual({ policy: DEFAULT_CAPTCHA_POLICY, invalid: [] });
    const stored = new Map([
      [CAPTCHA_SETTING_KEYS.registration, "maybe"],
      [CAPTCHA_SETTING_KEYS.difficulty, "10"],
      [CAPTCHA_SETTING_KEYS.loginAfterFailures, "1000"],
    ]);
    expect(captchaPolicyFromSettings(stored)).toEqual({
      policy: DEFAULT_CAPTCHA_POLICY,
      invalid: [CAPTCHA_SETTING_KEYS.registration, CAPTCHA_SETTING_KEYS.loginAfterFailures, CAPTCHA_SETTING_KEYS.difficulty],
    });
  });

  it("reads the store at most once per TTL, and keeps the last policy while the store is down", async () => {
    let now = 0;
    let reads = 0;
    let down = false;
    const source = createCaptchaPolicySource({
      read: () => {
        reads++;
        return down ? Promise.reject(new Error("down")) : Promise.resolve(new Map([[CAPTCHA_SETTING_KEYS.registration, "on"]]));
      },
      ttlMs: 5_000,
      now: () => now,
    });
    expect((await source.current()).registration).toBe(true);
    now = 4_999;
    await source.current();
    expect(reads).toBe(1);
    now = 5_000;
    down = true;
    expect((await source.current()).registration).toBe(true);
    expect(reads).toBe(2);
    const fresh = createCaptchaPolicySource({ read: () => Promise.reject(new Error("down")) });
    await expect(fresh.current()).rejects.toThrow("down");
  });
});
