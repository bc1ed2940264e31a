import type { Flow } from "../flows/repository";
import { publicRequest } from "./flow-helpers";

/** Go's time.Time JSON of `date` after `Round(time.Second)` (halves round up): "2026-07-24T10:00:01Z". */
function roundedGoTime(date: Date): string {
  return new Date(Math.round(date.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * A logout request as Hydra's getOAuth2LogoutRequest writes flow.LogoutRequest
 * (flow/consent_types.go): fields in the struct's order, `sid` omitted when
 * empty, `client` null unless the request came from a client's
 * id_token_hint. consent/strategy_default.go issueLogoutVerifier sets
 * `requested_at` and `expires_at` (rounded to the second) only for the
 * OP-initiated request; the RP-initiated one leaves both unset, stored as
 * NULL and answered as `null`.
 */
export function logoutRequestToJson(flow: Flow): Record<string, unknown> {
  const request = publicRequest(flow);
  const rpInitiated = request.rp_initiated === true;
  const sid = typeof request.sid === "string" ? request.sid : "";
  return {
    challenge: flow.challenge,
    subject: request.subject,
    ...(sid !== "" ? { sid } : {}),
    request_url: request.request_url,
    rp_initiated: rpInitiated,
    expires_at: rpInitiated ? null : roundedGoTime(flow.expiresAt),
    requested_at: rpInitiated ? null : roundedGoTime(flow.requestedAt),
    client: request.client ?? null,
  };
}
