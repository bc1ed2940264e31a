import "server-only";
import { isOryError, type DeviceUserCodeResult } from "@olympus/ory-client/hydra";
import { normalizeUserCode, plausibleUserCode } from "./user-code";
import type { DeviceError } from "./verification";

/** The part of the Hydra admin client the device page uses. */
export interface UserCodeAcceptor {
  acceptDeviceUserCode(challenge: string, userCode: string): Promise<DeviceUserCodeResult>;
}

/** Counts guesses at user codes (the edge's limits); refuses once a challenge or a client address has guessed too often. */
export interface UserCodeGuessLimiter {
  admit(
    challenge: string,
  ): Promise<
    { allowed: true; settle(outcome: "succeeded" | "failed" | "not_checked"): Promise<void> } | { allowed: false; retryAfterMs: number }
  >;
}

/** Where the browser goes after the user-code form: on into Hydra's login, or back to the form with one error. */
export function deviceFormPath(challenge: string | undefined, error: DeviceError): string {
  const query = new URLSearchParams(challenge ? { device_challenge: challenge, error } : { error });
  return `/device?${query.toString()}`;
}

/**
 * The user-code form's decision: Hydra (admin API, server side) checks the
 * typed code against the device challenge. A wrong, used or expired code
 * goes back to the same challenge (Hydra keeps it) with a clear error; an
 * unknown or expired challenge starts over; Hydra being away is said so.
 * Every plausible code is a guess charged to the limiter first; past its
 * limits the form says to wait, and Hydra is not asked.
 */
export async function decideUserCode(
  hydra: UserCodeAcceptor,
  limiter: UserCodeGuessLimiter,
  challenge: string,
  typed: string,
): Promise<string> {
  const userCode = normalizeUserCode(typed);
  // A code that cannot be one never reaches Hydra, so it is no guess and costs nothing.
  if (!plausibleUserCode(userCode)) return deviceFormPath(challenge, "invalid_code");
  const admission = await limiter.admit(challenge);
  if (!admission.allowed) return deviceFormPath(challenge, "too_many_attempts");
  let result: DeviceUserCodeResult;
  try {
    result = await hydra.acceptDeviceUserCode(challenge, userCode);
  } catch (error) {
    await admission.settle("not_checked");
    if (isOryError(error)) return deviceFormPath(challenge, "unavailable");
    throw error;
  }
  if (result.status === "accepted") {
    await admission.settle("succeeded");
    return result.redirectTo;
  }
  if (result.status === "invalid_code") {
    await admission.settle("failed");
    return deviceFormPath(challenge, "invalid_code");
  }
  // The challenge itself is gone: Hydra checked no code.
  await admission.settle("not_checked");
  return deviceFormPath(undefined, "expired");
}
