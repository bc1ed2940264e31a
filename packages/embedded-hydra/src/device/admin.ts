import { goEncodeParams, goQueryParams, goUrlSetQuery } from "@olympus/server-kit/go-url";
import type { AdminRouter } from "../admin/router";
import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { readDecoderBody } from "../http";
import { decodeGoJson } from "../admin/go-json";
import { ACCEPT_DEVICE_USER_CODE_REQUEST } from "../admin/go-structs";
import { DeviceChallengeStore } from "./challenges";
import { requestExpired } from "./errors";

const USER_CODE_UNUSABLE = "The 'user_code' session could not be found or has expired or is otherwise malformed.";

/** json.NewDecoder(r.Body).Decode(&reqBody) into flow.AcceptDeviceUserCodeRequest; Go's error as fosite's invalid_request hint. */
/** acceptUserCodeRequest's refusal of a body json.Decoder cannot decode (or read). */
const undecodable = (message: string) => fositeHydraError("invalid_request", `Unable to decode request body: ${message}`);

function userCodeFrom(body: Uint8Array): string {
  const decoded = decodeGoJson(body, ACCEPT_DEVICE_USER_CODE_REQUEST);
  if (!decoded.ok) throw undecodable(decoded.message);
  const userCode = decoded.value.user_code;
  return typeof userCode === "string" ? userCode : "";
}

/**
 * `PUT /admin/oauth2/auth/requests/device/accept?device_challenge=`
 * (consent/handler.go acceptUserCodeRequest): the UI hands over the user
 * code the person typed; a live, unused one binds the challenge to its
 * device code and the browser is sent back to /oauth2/device/verify with a
 * device verifier. Hydra v26.2 has no GET or reject for device requests.
 */
export function registerDeviceRoutes(router: AdminRouter, deps: Deps): void {
  router.add("PUT", "/admin/oauth2/auth/requests/device/accept", async ({ req, url, res }) => {
    // consent/handler.go acceptUserCodeRequest: r.URL.Query().Get("device_challenge").
    const id = goQueryParams(url.search).get("device_challenge");
    if (!id) throw fositeHydraError("invalid_request", "Query parameter 'device_challenge' is not defined but should have been.");
    const userCode = userCodeFrom(await readDecoderBody(req, undecodable));
    if (userCode === "") throw fositeHydraError("invalid_request", "Field 'user_code' must not be empty.");
    const store = new DeviceChallengeStore(deps);
    // DecodeFromDeviceChallenge (decodeFlow): an expired challenge is request_unauthorized, text never issued x.ErrNotFound.
    const found = await store.get(id);
    if (found.outcome === "expired") throw requestExpired("device");
    if (found.outcome === "invalid") throw HydraError.notFound();
    const { challenge } = found;
    const code = await deps.provider().DeviceCode.findByUserCode(userCode);
    // GetUserCodeSession: only a user code that was not used yet; ValidateUserCode: not past its expiry.
    if (!code?.clientId || code.accountId || code.consumed || code.isExpired) throw fositeHydraError("invalid_request", USER_CODE_UNUSABLE);
    const { clientId } = code;
    const params = code.params ?? {};
    const split = (value: unknown) => (typeof value === "string" ? value.split(" ").filter(Boolean) : []);
    // The request URL gets the device's client_id when it has none (q.Add, then url.Values.Encode).
    const requestUrl = new URL(challenge.requestUrl);
    const query = goQueryParams(requestUrl.search);
    if (!query.get("client_id")) {
      query.append("client_id", clientId);
      requestUrl.search = goEncodeParams(query);
    }
    const verifier = await store.accept(
      { ...challenge, requestUrl: requestUrl.toString() },
      {
        deviceCodeId: code.jti,
        clientId,
        requestedScope: split(params.scope),
        requestedAudience: split(params.audience),
      },
    );
    // urlx.SetQuery(ru, device_verifier, client_id).String().
    const redirectTo = goUrlSetQuery(requestUrl.toString(), { device_verifier: verifier, client_id: clientId });
    sendJson(res, 200, { redirect_to: redirectTo ?? requestUrl.toString() });
  });
}
