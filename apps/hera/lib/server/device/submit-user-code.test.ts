import { describe, expect, it } from "vitest";
import { OryError, type DeviceUserCodeResult } from "@olympus/ory-client/hydra";
import { decideUserCode, type UserCodeAcceptor, type UserCodeGuessLimiter } from "./submit-user-code";

/** Admits every guess and records how each was settled. */
function recordingLimiter() {
  const settled: string[] = [];
  const limiter: UserCodeGuessLimiter = {
    admit: () => Promise.resolve({ allowed: true, settle: (outcome) => Promise.resolve(void settled.push(outcome)) }),
  };
  return { limiter, settled };
}
const open = recordingLimiter().limiter;

function hydraAnswering(answer: DeviceUserCodeResult | Error) {
  const calls: [string, string][] = [];
  const hydra: UserCodeAcceptor = {
    acceptDeviceUserCode(challenge, userCode) {
      calls.push([challenge, userCode]);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return { hydra, calls };
}

describe("the device page's user-code form", () => {
  it("hands Hydra the code as typed minus spaces and dashes, and follows Hydra on", async () => {
    const { hydra, calls } = hydraAnswering({ status: "accepted", redirectTo: "http://ciam.localhost:3102/oauth2/device/verify?x=1" });
    expect(await decideUserCode(hydra, open, "ch1", " AbCd-3467 ")).toBe("http://ciam.localhost:3102/oauth2/device/verify?x=1");
    expect(calls).toEqual([["ch1", "AbCd3467"]]);
  });

  it("sends a refused code back to the same challenge with an error", async () => {
    const { hydra } = hydraAnswering({ status: "invalid_code" });
    expect(await decideUserCode(hydra, open, "ch1", "WRONGCODE")).toBe("/device?device_challenge=ch1&error=invalid_code");
  });

  it("does not ask Hydra about something that cannot be a code", async () => {
    const { hydra, calls } = hydraAnswering({ status: "accepted", redirectTo: "http://x" });
    expect(await decideUserCode(hydra, open, "ch1", "  - ")).toBe("/device?device_challenge=ch1&error=invalid_code");
    expect(calls).toEqual([]);
  });

  it("starts over for an unknown or expired challenge", async () => {
    const { hydra } = hydraAnswering({ status: "unknown_challenge" });
    expect(await decideUserCode(hydra, open, "gone", "AbCd3467")).toBe("/device?error=expired");
  });

  it("says so when Hydra cannot be reached, and lets other failures surface", async () => {
    const away = hydraAnswering(new OryError("hydra", "unavailable", undefined, undefined, "connect ECONNREFUSED"));
    expect(await decideUserCode(away.hydra, open, "ch1", "AbCd3467")).toBe("/device?device_challenge=ch1&error=unavailable");
    const broken = hydraAnswering(new Error("bug"));
    await expect(decideUserCode(broken.hydra, open, "ch1", "AbCd3467")).rejects.toThrow("bug");
  });

  it("charges every plausible code as a guess and settles it by Hydra's answer; past the limit Hydra is not asked", async () => {
    for (const [answer, outcome] of [
      [{ status: "accepted", redirectTo: "http://x" }, "succeeded"],
      [{ status: "invalid_code" }, "failed"],
      [{ status: "unknown_challenge" }, "not_checked"],
    ] as const) {
      const { limiter, settled } = recordingLimiter();
      await decideUserCode(hydraAnswering(answer).hydra, limiter, "ch1", "AbCd3467");
      expect(settled).toEqual([outcome]);
    }
    const refusing: UserCodeGuessLimiter = { admit: () => Promise.resolve({ allowed: false, retryAfterMs: 60_000 }) };
    const { hydra, calls } = hydraAnswering({ status: "accepted", redirectTo: "http://x" });
    expect(await decideUserCode(hydra, refusing, "ch1", "AbCd3467")).toBe("/device?device_challenge=ch1&error=too_many_attempts");
    expect(calls).toEqual([]);
  });
});
