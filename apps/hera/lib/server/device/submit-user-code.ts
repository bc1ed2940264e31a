import "server-only";
import { isOryError, type DeviceUserCodeResult } from "@olympus/ory-client/hydra";
import { normalizeUserCode, plausibleUserCode } from "./user-code";
import type { DeviceError } from "./verification";

/** The part of the Hydra admin client the device page uses. */
export interface UserCodeAcceptor {
  acceptDeviceUserCode(challenge: string, userCode: string): Promise<DeviceUserCodeResult>;
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
 */
export async function decideUserCode(hydra: UserCodeAcceptor, challenge: string, typed: string): Promise<string> {
  const userCode = normalizeUserCode(typed);
  if (!plausibleUserCode(userCode)) return deviceFormPath(challenge, "invalid_code");
  let result: DeviceUserCodeResult;
  try {
    result = await hydra.acceptDeviceUserCode(challenge, userCode);
  } catch (error) {
    if (isOryError(error)) return deviceFormPath(challenge, "unavailable");
    throw error;
  }
  if (result.status === "accepted") return result.redirectTo;
  if (result.status === "invalid_code") return deviceFormPath(challenge, "invalid_code");
  return deviceFormPath(undefined, "expired");
}
