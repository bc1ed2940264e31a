import { describe, expect, it } from "vitest";
import { rateLimitMessage, refusalFromCookie, waitDuration } from "./refusal";

describe("the lockout message says how long to wait", () => {
  it("in the unit a person would check a clock for, rounded up", () => {
    expect(waitDuration(1)).toBe("1 second");
    expect(waitDuration(42)).toBe("42 seconds");
    expect(waitDuration(60)).toBe("1 minute");
    expect(waitDuration(61)).toBe("2 minutes");
    expect(waitDuration(1800)).toBe("30 minutes");
    expect(waitDuration(3540)).toBe("59 minutes");
    expect(waitDuration(3599)).toBe("1 hour");
    expect(waitDuration(3600)).toBe("1 hour");
    expect(waitDuration(3660)).toBe("1 hour 1 minute");
    expect(waitDuration(7199)).toBe("2 hours");
  });

  it("in the flow message, with the seconds in its context", () => {
    expect(rateLimitMessage(300)).toEqual({
      id: 4000429,
      text: "Too many attempts. Please wait 5 minutes before you try again.",
      type: "error",
      context: { retry_after_seconds: 300 },
    });
  });

  it("counting down what is left of the lock when the page renders a refused form post", () => {
    const flowId = "8f0c4a52-94a5-4c2e-9d0b-2f3f3c1c7b11";
    const now = 1_700_000_000_000;
    const message = refusalFromCookie(`${flowId}.${now / 1000 + 125}`, flowId, now);
    expect(message?.text).toBe("Too many attempts. Please wait 3 minutes before you try again.");
    expect(refusalFromCookie(`${flowId}.${now / 1000 - 1}`, flowId, now)).toBeUndefined();
  });
});
