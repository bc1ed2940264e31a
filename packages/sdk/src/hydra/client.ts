import "server-only";
import {
  OAuth2Api,
  type AcceptOAuth2ConsentRequest,
  type AcceptOAuth2LoginRequest,
  type OAuth2ConsentRequest,
  type OAuth2LoginRequest,
  type OAuth2LogoutRequest,
  type RejectOAuth2Request,
} from "@ory/client";
import type { AxiosResponse } from "axios";
import { z } from "zod";
import { adminConfiguration, call, createOryAxios, unexpected } from "../ory/http";

export type { OAuth2ConsentRequest, OAuth2LoginRequest, OAuth2LogoutRequest, RejectOAuth2Request } from "@ory/client";

/**
 * Fetching a login/consent/logout request: either the request, or Hydra
 * already handled it (410 with `redirect_to`: send the browser on), or the
 * challenge is unknown to this domain's Hydra.
 */
export type ChallengeResult<T> =
  | { status: "ok"; request: T }
  | { status: "handled"; redirectTo: string }
  | { status: "not_found" };

const redirectBody = z.object({ redirect_to: z.string().min(1) });

/** Hydra's login, consent and logout challenge API, on the admin port. */
export class HydraAdminClient {
  private readonly oauth2: OAuth2Api;

  constructor(adminUrl: string, adminToken?: string) {
    this.oauth2 = new OAuth2Api(adminConfiguration(adminUrl, adminToken), adminUrl, createOryAxios());
  }

  getLoginRequest(challenge: string): Promise<ChallengeResult<OAuth2LoginRequest>> {
    return this.fetchChallenge("get login request", () => this.oauth2.getOAuth2LoginRequest({ loginChallenge: challenge }));
  }

  acceptLogin(challenge: string, body: AcceptOAuth2LoginRequest): Promise<string> {
    return this.redirect("accept login", () => this.oauth2.acceptOAuth2LoginRequest({ loginChallenge: challenge, acceptOAuth2LoginRequest: body }));
  }

  rejectLogin(challenge: string, body: RejectOAuth2Request): Promise<string> {
    return this.redirect("reject login", () => this.oauth2.rejectOAuth2LoginRequest({ loginChallenge: challenge, rejectOAuth2Request: body }));
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

  /**
   * Ends Hydra login sessions — all of a subject's, or one by its id (`sid`,
   * a login request's `session_id`) — so the next authorization asks again.
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
