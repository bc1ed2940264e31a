import { describe, expect, it } from "vitest";
import { GoTime } from "../clock/go-time";
import { messages } from "../ui/messages";
import { errors } from "./errors";
import { stringifyJson } from "./json-text";

// selfservice/flow/error.go NewFlowExpiredError: ago := time.Since(at); `since` is that time.Duration,
// marshalled by encoding/json as its int64 nanoseconds; the reason prints ago.Minutes() with `%.2f`.
describe("errors.flowExpired (selfservice/flow/error.go NewFlowExpiredError)", () => {
  const base = Date.UTC(2026, 11, 4, 12, 30, 16);
  const flowId = "2b5e7c4e-8a62-4b8e-9a0e-5f0e0f1b2c3d";

  it("answers `since` in nanoseconds and the minutes from the same duration", () => {
    const at = new GoTime(base, 123_000); // a Postgres time: microseconds
    const err = errors.flowExpired(at, flowId, new GoTime(base + 90_500, 456_789));
    expect(JSON.parse(stringifyJson(err.toJSON()))).toEqual({
      error: {
        id: "self_service_flow_expired",
        code: 410,
        status: "Gone",
        message: "self-service flow expired",
        reason: "The self-service flow expired 1.51 minutes ago, initialize a new one.",
      },
      expired_at: "2026-12-04T12:30:16.000123Z",
      since: 90_500_333_789,
      use_flow_id: flowId,
    });
  });

  it("rounds an exact half to even (fmt %.2f) and writes int64 nanoseconds past 2^53 exactly", () => {
    expect(errors.flowExpired(new GoTime(base), flowId, new GoTime(base + 7_500)).reason).toBe(
      "The self-service flow expired 0.12 minutes ago, initialize a new one.",
    );
    const longAgo = errors.flowExpired(new GoTime(base - 200 * 86_400_000), flowId, new GoTime(base, 1));
    expect(stringifyJson(longAgo.toJSON())).toContain('"since":17280000000000001,');
    expect(longAgo.reason).toBe("The self-service flow expired 288000.00 minutes ago, initialize a new one.");
  });
});

// text/message_{login,registration,settings,recovery,verification}.go NewErrorValidation<Kind>FlowExpired:
// Since(expiredAt).Minutes() with `%.2f`.
describe("flow-expired UI messages (text/message_*.go NewErrorValidation<Kind>FlowExpired)", () => {
  const base = Date.UTC(2026, 11, 4, 12, 30, 16);
  const at = new GoTime(base, 250_000);
  const now = new GoTime(base + 37_500, 250_000); // 0.625 minutes: Go prints 0.62
  it.each([
    ["login", 4010001, messages.loginFlowExpired],
    ["registration", 4040001, messages.registrationFlowExpired],
    ["settings", 4050001, messages.settingsFlowExpired],
    ["recovery", 4060005, messages.recoveryFlowExpired],
    ["verification", 4070005, messages.verificationFlowExpired],
  ] as const)("%s", (kind, id, message) => {
    expect(message(at, now)).toEqual({
      id,
      text: `The ${kind} flow expired 0.62 minutes ago, please try again.`,
      type: "error",
      context: { expired_at: "2026-12-04T12:30:16.00025Z", expired_at_unix: Math.floor(base / 1000) },
    });
  });
});
