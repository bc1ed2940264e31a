import "server-only";
import {
  OAuth2Api,
  type AcceptOAuth2ConsentRequest,
  type AcceptOAuth2LoginRequest,
  type JsonPatch,
  type OAuth2Client,
  type OAuth2ConsentRequest,
  type OAuth2ConsentSession,
  type OAuth2LoginRequest,
  type OAuth2LogoutRequest,
  type RejectOAuth2Request,
} from "@ory/client";
import type { AxiosResponse } from "axios";
import { z } from "zod";
import { adminConfiguration, call, createOryAxios, unexpected } from "../ory/http";
import { nextPageToken, type Page } from "../ory/pagination";

export type { OAuth2Client, OAuth2ConsentRequest, OAuth2ConsentSession, OAuth2LoginRequest, OAuth2LogoutRequest, RejectOAuth2Request };

/**
 * Fetching a login/consent/logout request: either the request, or Hydra
 * already handled it (410 with `redirect_to`: send the browser on), or the
 * challenge is unknown to this domain's Hydra.
 */
export type ChallengeResult<T> = { status: "ok"; request: T } | { status: "handled"; redirectTo: string } | { status: "not_found" };

/**
 * Handing Hydra a device flow's user code: the browser goes on to
 * `redirectTo` (Hydra's login), or the code is wrong, expired or used
 * (400), or the device challenge is unknown or expired.
 */
export type DeviceUserCodeResult =
  { status: "accepted"; redirectTo: string } | { status: "invalid_code" } | { status: "unknown_challenge" };

/** A client Hydra refused (400 or 409 with `error_description`): safe to show to an operator. */
export class HydraRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HydraRejection";
  }
}

const redirectBody = z.object({ redirect_to: z.string().min(1) });

function describeRefusal(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  if ("error_description" in body && typeof body.error_description === "string") return body.error_description;
  if ("error" in body && typeof body.error === "string") return body.error;
  return undefined;
}

/** The body of an expected status; Hydra's refusal of a client's settings as a HydraRejection. */
function ok<T>(response: AxiosResponse<T>, what: string, accept: readonly number[] = [200]): T {
  if (accept.includes(response.status)) return response.data;
  if (response.status === 400 || response.status === 409)
    throw new HydraRejection(response.status, describeRefusal(response.data) ?? `Hydra refused to ${what}`);
  throw unexpected("hydra", what, response);
}

/**
 * One domain's Hydra admin API (Hydra's OAuth2Api on the admin port):
 * Hera's login, consent and logout challenges; Athena's OAuth2 clients,
 * consent sessions and tokens; and ending login sessions, which both need.
 * Server-side only: it carries the admin token.
 */
export class HydraAdminClient {
  private readonly oauth2: OAuth2Api;

  constructor(adminUrl: string, adminToken?: string) {
    this.oauth2 = new OAuth2Api(adminConfiguration(adminUrl, adminToken), adminUrl, createOryAxios());
  }

  // Login, consent and logout challenges (Hera).

  getLoginRequest(challenge: string): Promise<ChallengeResult<OAuth2LoginRequest>> {
    return this.fetchChallenge("get login request", () => this.oauth2.getOAuth2LoginRequest({ loginChallenge: challenge }));
  }

  acceptLogin(challenge: string, body: AcceptOAuth2LoginRequest): Promise<string> {
    return this.redirect("accept login", () =>
      this.oauth2.acceptOAuth2LoginRequest({ loginChallenge: challenge, acceptOAuth2LoginRequest: body }),
    );
  }

  rejectLogin(challenge: string, body: RejectOAuth2Request): Promise<string> {
    return this.redirect("reject login", () =>
      this.oauth2.rejectOAuth2LoginRequest({ loginChallenge: challenge, rejectOAuth2Request: body }),
    );
  }

  getConsentRequest(challenge: string): Promise<ChallengeResult<OAuth2ConsentRequest>> {
    return this.fetchChallenge("get consent request", () => this.oauth2.getOAuth2ConsentRequest({ consentChallenge: challenge }));
  }

  acceptConsent(challenge: string, body: AcceptOAuth2ConsentRequest): Promise<string> {
    return this.redirect("accept consent", () =>
      this.oauth2.acceptOAuth2ConsentRequest({ consentChallenge: challenge, acceptOAuth2ConsentRequest: body }),
    );
  }

  rejectConsent(challenge: string, body: RejectOAuth2Request): Promise<string> {
    return this.redirect("reject consent", () =>
      this.oauth2.rejectOAuth2ConsentRequest({ consentChallenge: challenge, rejectOAuth2Request: body }),
    );
  }

  getLogoutRequest(challenge: string): Promise<ChallengeResult<OAuth2LogoutRequest>> {
    return this.fetchChallenge("get logout request", () => this.oauth2.getOAuth2LogoutRequest({ logoutChallenge: challenge }));
  }

  acceptLogout(challenge: string): Promise<string> {
    return this.redirect("accept logout", () => this.oauth2.acceptOAuth2LogoutRequest({ logoutChallenge: challenge }));
  }

  async rejectLogout(challenge: string): Promise<void> {
    const response = await call("hydra", "reject logout", () => this.oauth2.rejectOAuth2LogoutRequest({ logoutChallenge: challenge }));
    if (response.status >= 300) throw unexpected("hydra", "reject logout", response);
  }

  // The device flow (Hera's device page).

  /** `PUT /admin/oauth2/auth/requests/device/accept?device_challenge=` with the user code the person typed. */
  async acceptDeviceUserCode(challenge: string, userCode: string): Promise<DeviceUserCodeResult> {
    const response = await call("hydra", "accept device user code", () =>
      this.oauth2.acceptUserCodeRequest({ deviceChallenge: challenge, acceptDeviceUserCodeRequest: { user_code: userCode } }),
    );
    const parsed = redirectBody.safeParse(response.data);
    if (response.status === 200 && parsed.success) return { status: "accepted", redirectTo: parsed.data.redirect_to };
    if (response.status === 400) return { status: "invalid_code" };
    if (response.status === 404 || response.status === 401 || response.status === 410) return { status: "unknown_challenge" };
    throw unexpected("hydra", "accept device user code", response);
  }

  // OAuth2 clients (Athena).

  async listClients(params: {
    pageSize: number;
    pageToken?: string | undefined;
    clientName?: string | undefined;
  }): Promise<Page<OAuth2Client>> {
    const response = await call("hydra", "list clients", () =>
      this.oauth2.listOAuth2Clients({ pageSize: params.pageSize, pageToken: params.pageToken, clientName: params.clientName }),
    );
    return { items: ok(response, "list OAuth2 clients"), nextPageToken: nextPageToken(response.headers.link) };
  }

  async getClient(id: string): Promise<OAuth2Client | undefined> {
    const response = await call("hydra", "get client", () => this.oauth2.getOAuth2Client({ id }));
    if (response.status === 404 || response.status === 401) return undefined;
    return ok(response, "get the OAuth2 client");
  }

  /** Creates a client; the answer carries the secret, the only time it is ever readable. */
  async createClient(client: OAuth2Client): Promise<OAuth2Client> {
    const response = await call("hydra", "create client", () => this.oauth2.createOAuth2Client({ oAuth2Client: client }));
    return ok(response, "create the OAuth2 client", [201, 200]);
  }

  /** Replaces a client's settings. Without `client_secret` in the body the secret is kept. */
  async setClient(id: string, client: OAuth2Client): Promise<OAuth2Client> {
    const response = await call("hydra", "update client", () => this.oauth2.setOAuth2Client({ id, oAuth2Client: client }));
    return ok(response, "update the OAuth2 client");
  }

  async patchClient(id: string, patch: JsonPatch[]): Promise<OAuth2Client> {
    const response = await call("hydra", "patch client", () => this.oauth2.patchOAuth2Client({ id, jsonPatch: patch }));
    return ok(response, "change the OAuth2 client");
  }

  async deleteClient(id: string): Promise<void> {
    const response = await call("hydra", "delete client", () => this.oauth2.deleteOAuth2Client({ id }));
    ok(response, "delete the OAuth2 client", [204, 404]);
  }

  /**
   * Deletes every access token issued to the client (Hydra's DeleteAccessTokens:
   * refresh tokens stay, but redeeming one needs the client's secret).
   */
  async deleteClientTokens(clientId: string): Promise<void> {
    const response = await call("hydra", "delete client tokens", () => this.oauth2.deleteOAuth2Token({ clientId }));
    ok(response, "revoke the client's tokens", [204, 200, 404]);
  }

  // Consent and login sessions (Athena revokes them; Hera ends login sessions at logout).

  async listConsentSessions(subject: string): Promise<OAuth2ConsentSession[]> {
    const response = await call("hydra", "list consent sessions", () => this.oauth2.listOAuth2ConsentSessions({ subject, pageSize: 500 }));
    if (response.status === 404) return [];
    return ok(response, "list consent sessions");
  }

  /** Revokes the subject's consent for one client, or for all; Hydra also revokes the tokens issued under it. */
  async revokeConsentSessions(subject: string, clientId?: string): Promise<void> {
    const response = await call("hydra", "revoke consent sessions", () =>
      this.oauth2.revokeOAuth2ConsentSessions(clientId ? { subject, client: clientId } : { subject, all: true }),
    );
    ok(response, "revoke consent", [204, 200, 404]);
  }

  /**
   * Ends Hydra login sessions (`DELETE /admin/oauth2/auth/sessions/login`) —
   * all of a subject's, or one by its id (`sid`, a login request's
   * `session_id`) — so Hydra stops remembering the login and the next
   * authorization goes through Hera's login again. Nothing to end (404) is done.
   */
  async revokeLoginSessions(which: { subject: string } | { sid: string }): Promise<void> {
    const response = await call("hydra", "revoke login sessions", () => this.oauth2.revokeOAuth2LoginSessions(which));
    if (response.status >= 300 && response.status !== 404) throw unexpected("hydra", "revoke login sessions", response);
  }

  private async fetchChallenge<T>(what: string, run: () => Promise<AxiosResponse<T>>): Promise<ChallengeResult<T>> {
    const response = await call("hydra", what, run);
    if (response.status === 200) return { status: "ok", request: response.data };
    if (response.status === 410) {
      const parsed = redirectBody.safeParse(response.data);
      if (parsed.success) return { status: "handled", redirectTo: parsed.data.redirect_to };
    }
    if (response.status === 404 || response.status === 400 || response.status === 410) return { status: "not_found" };
    throw unexpected("hydra", what, response);
  }

  private async redirect(what: string, run: () => Promise<AxiosResponse<unknown>>): Promise<string> {
    const response = await call("hydra", what, run);
    const parsed = redirectBody.safeParse(response.data);
    if (response.status === 200 && parsed.success) return parsed.data.redirect_to;
    if (response.status === 410 && parsed.success) return parsed.data.redirect_to;
    throw unexpected("hydra", what, response);
  }
}
