import { FOSITE_ERRORS, fositeHydraError, isFositeErrorName } from "../fosite-errors";
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

/** The UI's rejection as Hydra writes it to the browser (the device has no redirect URI to receive it). */
export function rejected(flow: RedeemedFlow): HydraError {
  const denied = rejectionSchema.parse(flow.handled);
  return new HydraError(isFositeErrorName(denied.error) ? FOSITE_ERRORS[denied.error].status : 400, denied.error, denied.error_description);
}

/** Hydra's answer when a verifier comes back with another client's id (consent/strategy_default.go). */
export function clientMismatch(): HydraError {
  return fositeHydraError("invalid_client", "The flow client id does not match the authorize request client id.");
}

/** GetDeviceCodeSessionByRequestID's fosite.ErrNotFound (a device code already exchanged), as the browser is shown it. */
export function deviceCodeGone(): HydraError {
  return new HydraError(404, "not_found", "Could not find the requested resource(s).");
}
