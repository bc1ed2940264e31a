import type { IncomingMessage } from "node:http";
import type Provider from "oidc-provider";
import { audienceHint, requestedAudiences, unwhitelistedAudience } from "../clients/audience";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { readGoForm, storableParams } from "../http";
import type { Mapping } from "../public/mapping";
import { authenticateDeviceClient } from "./client-auth";
import { deviceUrls } from "./urls";
import { generateUserCode, userCodeFormat } from "./user-code";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

type DeviceCodeInit = ConstructorParameters<Provider["DeviceCode"]>[0];

/** fosite's WriteDeviceResponse / WriteAccessError headers. */
const NO_CACHE = { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store", pragma: "no-cache" };

/** User codes are unique among live device codes; fosite retries a clash (rfc8628 MaxAttempts). */
const MAX_ATTEMPTS = 3;

/**
 * `POST /oauth2/device/auth` (oauth2/handler.go oAuth2DeviceFlow): fosite's
 * NewDeviceRequest checks, in its order, a non-empty form, the client's
 * authentication, `client_id` in the form naming that client, the device
 * grant on the client, the scope (exact strategy) and the audience; then
 * rfc8628 DeviceAuthHandler stores a device code and a user code that live
 * `ttl.device_user_code` (the device code is oidc-provider's DeviceCode, so
 * its token endpoint redeems it).
 */
export async function handleDeviceAuthorization(deps: Deps, req: IncomingMessage): Promise<Mapping> {
  try {
    return await deviceAuthorization(deps, req);
  } catch (error) {
    if (!(error instanceof HydraError)) throw error;
    // fosite WriteAccessError (access_error.go writeJsonError): json.Marshal's bytes.
    const body = { error: error.error, error_description: error.description };
    return { kind: "json", status: error.status, body, headers: NO_CACHE, marshal: true };
  }
}

async function deviceAuthorization(deps: Deps, req: IncomingMessage): Promise<Mapping> {
  // NewDeviceRequest: r.ParseForm, then r.PostForm (a JSON body is no form).
  const parsed = await readGoForm(req);
  if (parsed.error !== undefined)
    throw fositeHydraError("invalid_request", "Unable to parse HTTP body, make sure to send a properly formatted form request body.");
  const form = storableParams(parsed.postForm);
  if ([...form.keys()].length === 0) throw fositeHydraError("invalid_request", "The POST body can not be empty.");
  const client = await authenticateDeviceClient(deps, req, form);
  if (client.id !== form.get("client_id")) throw fositeHydraError("invalid_request", "Provided client_id mismatch.");
  if (!client.data.grant_types.includes(DEVICE_CODE_GRANT)) {
    throw fositeHydraError("invalid_grant", `The requested OAuth 2.0 Client does not have the '${DEVICE_CODE_GRANT}' grant.`);
  }
  const registered = new Set(client.data.scope.split(" ").filter(Boolean));
  const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
  const refusedScope = scopes.find((scope) => !registered.has(scope));
  if (refusedScope !== undefined)
    throw fositeHydraError("invalid_scope", `The OAuth 2.0 Client is not allowed to request scope '${refusedScope}'.`);
  const audience = requestedAudiences(form.getAll("audience").join(" "));
  const refusedAudience = unwhitelistedAudience(client.data.audience, audience);
  if (refusedAudience !== undefined) throw fositeHydraError("invalid_request", audienceHint(refusedAudience));

  const ttl = deps.config.ttl.device_user_code;
  const now = Date.now();
  // fosite rounds the expiry to the second and answers the whole seconds left until it.
  const expiresAt = Math.round((now + ttl * 1000) / 1000);
  const expiresIn = Math.floor(expiresAt - now / 1000);
  const format = userCodeFormat(deps.config);
  const provider = deps.provider();
  const { DeviceCode } = provider;
  const providerClient = await provider.Client.find(client.id);
  if (!providerClient) throw fositeHydraError("invalid_client");
  for (let attempt = 1; ; attempt++) {
    const userCode = generateUserCode(format);
    if (attempt < MAX_ATTEMPTS && (await DeviceCode.findByUserCode(userCode))) continue;
    const init: Omit<DeviceCodeInit, "grantId"> = {
      client: providerClient,
      userCode,
      params: { client_id: client.id, scope: scopes.join(" "), audience: audience.join(" ") },
      deviceInfo: {},
      expiresIn: expiresAt - Math.floor(now / 1000),
    };
    // @types/oidc-provider lists grantId as required; a device code only gets its grant once the person consents.
    const code = new DeviceCode(init as DeviceCodeInit);
    const deviceCode = await code.save();
    const { verificationUri } = deviceUrls(deps);
    return {
      kind: "json",
      status: 200,
      headers: NO_CACHE,
      // fosite WriteDeviceResponse (device_write.go): json.Marshal's bytes.
      marshal: true,
      body: {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${userCode}`,
        expires_in: expiresIn,
        interval: deps.config.oauth2.device_authorization.token_polling_interval,
      },
    };
  }
}
