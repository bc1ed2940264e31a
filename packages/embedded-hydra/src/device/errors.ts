import { z } from "zod";
import { fositeHydraError } from "../fosite-errors";
import { HydraError } from "../errors";
import type { RedeemedFlow } from "../flows/repository";
import { rejectionSchema } from "../provider/decisions";

/** The errors /oauth2/device/verify writes to the browser as fosite's JSON (consent/strategy_default.go). */

/** flow/flow_encoding.go decodeFlow: past ttl.login_consent_request, also once the cleanup deleted the flow. */
export function requestExpired(kind: "device" | "login" | "consent"): HydraError {
  return fositeHydraError("request_unauthorized", `The ${kind} request has expired, please try again.`);
}

/** flow/flow_encoding.go decodeVerifier. */
export function verifierRefused(kind: "device" | "login" | "consent"): HydraError {
  return fositeHydraError("access_denied", `The ${kind} verifier has already been used, has not been granted, or is invalid.`);
}

/** validateCSRFCookie (consent/csrf.go): request_forbidden with its hint. */
export function assertCsrf(check: { ok: true } | { ok: false; hint: string }): void {
  if (!check.ok) throw fositeHydraError("request_forbidden", check.hint);
}

/** The reject body's status_code as stored (provider/decisions.ts rejection); absent in rows decided before it was kept. */
const deniedStatusSchema = z.object({ status_code: z.number().int().optional() });

/**
 * The status a rejection is written with when Node can write it as Go does:
 * a final status with a body. Go writes a 1xx as an interim answer followed
 * by a 200, a 204 or 304 without the body, and panics below 100 or above 999
 * (no answer at all); those are answered with SetDefaults' 400 instead.
 */
function writableStatus(code: number): number {
  return code >= 200 && code <= 999 && code !== 204 && code !== 304 ? code : 400;
}

/**
 * The UI's rejection as Hydra writes it to the browser (the device has no
 * redirect URI to receive it): consent/strategy_default.go
 * verifyAuthentication / verifyConsent return RequestDeniedError.ToRFCError,
 * whose status is the reject body's `status_code` (400 when it was 0,
 * SetDefaults), whatever the error's name; herodot's WriteError writes it
 * with that status (RFC6749Error.StatusCode).
 */
export function rejected(flow: RedeemedFlow): HydraError {
  const denied = rejectionSchema.parse(flow.handled);
  const { status_code: code = 400 } = deniedStatusSchema.parse(flow.handled);
  return new HydraError(writableStatus(code), denied.error, denied.error_description);
}

/** Hydra's answer when a verifier comes back with another client's id (consent/strategy_default.go). */
export function clientMismatch(): HydraError {
  return fositeHydraError("invalid_client", "The flow client id does not match the authorize request client id.");
}

/** GetDeviceCodeSessionByRequestID's fosite.ErrNotFound (a device code already exchanged), as the browser is shown it. */
export function deviceCodeGone(): HydraError {
  return new HydraError(404, "not_found", "Could not find the requested resource(s).");
}
