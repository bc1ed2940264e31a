import "server-only";
import { OAuth2Api, type JsonPatch, type OAuth2Client, type OAuth2ConsentSession } from "@ory/client";
import type { AxiosResponse } from "axios";
import { adminConfiguration, call, createOryAxios, unexpected } from "../ory/http";
import { nextPageToken, type Page } from "./pagination";

export type { OAuth2Client, OAuth2ConsentSession };

/** A client Hydra refused (400 with `error_description`): safe to show to an operator. */
export class HydraRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HydraRejection";
  }
}

function describe(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  if ("error_description" in body && typeof body.error_description === "string") return body.error_description;
  if ("error" in body && typeof body.error === "string") return body.error;
  return undefined;
}

function ok<T>(response: AxiosResponse<T>, what: string, accept: readonly number[] = [200]): T {
  if (accept.includes(response.status)) return response.data;
  if (response.status === 400 || response.status === 409) throw new HydraRejection(response.status, describe(response.data) ?? `Hydra refused to ${what}`);
  throw unexpected("hydra", what, response);
}

/**
 * One domain's Hydra admin API for Athena: OAuth2 clients, consent sessions,
 * tokens. Server-side only: it carries the admin token.
 */
export class HydraOAuth2AdminClient {
  private readonly oauth2: OAuth2Api;

  constructor(adminUrl: string, adminToken?: string) {
    this.oauth2 = new OAuth2Api(adminConfiguration(adminUrl, adminToken), adminUrl, createOryAxios());
  }

  async listClients(params: { pageSize: number; pageToken?: string | undefined; clientName?: string | undefined }): Promise<Page<OAuth2Client>> {
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
   * Ends every Hydra login session of the subject (`DELETE
   * /admin/oauth2/auth/sessions/login?subject=`): Hydra stops remembering the
   * login, so the next authorization goes through Hera's login again.
   */
  async revokeLoginSessions(subject: string): Promise<void> {
    const response = await call("hydra", "revoke login sessions", () => this.oauth2.revokeOAuth2LoginSessions({ subject }));
    ok(response, "end the login sessions", [204, 200, 404]);
  }
}
