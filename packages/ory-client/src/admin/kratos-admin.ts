import "server-only";
import {
  Configuration,
  CourierApi,
  FrontendApi,
  IdentityApi,
  type CourierMessageStatus,
  type CreateIdentityBody,
  type Identity,
  type IdentitySchemaContainer,
  type JsonPatch,
  type Message,
  type Session,
  type UpdateIdentityBody,
} from "@ory/client";
import type { AxiosResponse } from "axios";
import { z } from "zod";
import { adminConfiguration, call, createOryAxios, unexpected } from "../ory/http";
import { OryError } from "../ory/errors";
import { nextPageToken, type Page } from "../ory/pagination";

/** The credential types Kratos' admin API names in `DELETE /admin/identities/{id}/credentials/{type}`. */
export type CredentialType = "password" | "oidc" | "totp" | "lookup_secret" | "webauthn" | "code" | "passkey" | "saml";

export type {
  CourierMessageStatus,
  CreateIdentityBody,
  Identity,
  IdentitySchemaContainer,
  JsonPatch,
  Message,
  Session,
  UpdateIdentityBody,
};

const jsonObject = z.record(z.string(), z.unknown());

export interface KratosAdminUrls {
  /** This domain's Kratos admin API (never reachable from browsers). */
  adminUrl: string;
  /** This domain's Kratos public API, for flows started on an identity's behalf. */
  publicUrl: string;
  /** Bearer token the admin API requires, when configured. */
  adminToken?: string | undefined;
}

/** A validation problem Kratos reported (400/409 with a reason): safe to show to an operator. */
export class KratosRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "KratosRejection";
  }
}

function reasonOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null) return undefined;
  const reason = "reason" in error && typeof error.reason === "string" ? error.reason : undefined;
  const message = "message" in error && typeof error.message === "string" ? error.message : undefined;
  return reason || message;
}

function ok<T>(response: AxiosResponse<T>, what: string, accept: readonly number[] = [200]): T {
  if (accept.includes(response.status)) return response.data;
  if (response.status === 400 || response.status === 409) {
    throw new KratosRejection(response.status, reasonOf(response.data) ?? `Kratos refused to ${what}`);
  }
  throw unexpected("kratos", what, response);
}

/**
 * One domain's Kratos admin API (identities, sessions, schemas, courier,
 * recovery), for Athena. Server-side only: it carries the admin token.
 */
export class KratosAdminClient {
  private readonly identities: IdentityApi;
  /**
   * Identity schemas are read from the public port: Kratos' admin port only redirects `/admin/schemas`
   * there (schema/handler.go RegisterAdminRoutes: redir.RedirectToPublicRoute), and redirects are not
   * followed here.
   */
  private readonly schemas: IdentityApi;
  private readonly courier: CourierApi;
  private readonly frontend: FrontendApi;

  constructor(urls: KratosAdminUrls) {
    const http = createOryAxios();
    const admin = adminConfiguration(urls.adminUrl, urls.adminToken);
    this.identities = new IdentityApi(admin, urls.adminUrl, http);
    this.courier = new CourierApi(admin, urls.adminUrl, http);
    const publicApi = new Configuration({ basePath: urls.publicUrl });
    this.schemas = new IdentityApi(publicApi, urls.publicUrl, http);
    this.frontend = new FrontendApi(publicApi, urls.publicUrl, http);
  }

  /**
   * One keyset page of identities, in Kratos' order (by id). Kratos takes one
   * filter at a time: `credentialsIdentifier` (exact) or
   * `credentialsIdentifierSimilar` (Kratos' experimental
   * `preview_credentials_identifier_similar`: identifiers starting with it).
   */
  async listIdentities(params: {
    pageSize: number;
    pageToken?: string | undefined;
    credentialsIdentifier?: string | undefined;
    credentialsIdentifierSimilar?: string | undefined;
    /**
     * Without it Kratos lists identities without `credentials` at all
     * (identity/handler.go parseListIdentitiesParameters: ExpandDefault);
     * naming any type loads every credential, with the config of the types
     * not named emptied (identity/identity.go WithDeclassifiedCredentials).
     */
    includeCredential?: readonly string[] | undefined;
  }): Promise<Page<Identity>> {
    const response = await call("kratos", "list identities", () =>
      this.identities.listIdentities({
        pageSize: params.pageSize,
        pageToken: params.pageToken,
        credentialsIdentifier: params.credentialsIdentifier,
        previewCredentialsIdentifierSimilar: params.credentialsIdentifierSimilar,
        ...(params.includeCredential?.length ? { includeCredential: [...params.includeCredential] } : {}),
      }),
    );
    return { items: ok(response, "list identities"), nextPageToken: nextPageToken(response.headers.link) };
  }

  async getIdentity(
    id: string,
    includeCredentials: readonly ("password" | "oidc" | "totp" | "webauthn" | "lookup_secret" | "code" | "passkey")[] = [],
  ): Promise<Identity | undefined> {
    const response = await call("kratos", "get identity", () =>
      this.identities.getIdentity({ id, includeCredential: [...includeCredentials] }),
    );
    if (response.status === 404) return undefined;
    return ok(response, "get identity");
  }

  async createIdentity(body: CreateIdentityBody): Promise<Identity> {
    const response = await call("kratos", "create identity", () => this.identities.createIdentity({ createIdentityBody: body }));
    return ok(response, "create the identity", [201, 200]);
  }

  async updateIdentity(id: string, body: UpdateIdentityBody): Promise<Identity> {
    const response = await call("kratos", "update identity", () => this.identities.updateIdentity({ id, updateIdentityBody: body }));
    return ok(response, "update the identity");
  }

  async patchIdentity(id: string, patch: JsonPatch[]): Promise<Identity> {
    const response = await call("kratos", "patch identity", () => this.identities.patchIdentity({ id, jsonPatch: patch }));
    return ok(response, "change the identity");
  }

  async deleteIdentity(id: string): Promise<void> {
    const response = await call("kratos", "delete identity", () => this.identities.deleteIdentity({ id }));
    ok(response, "delete the identity", [204, 404]);
  }

  /**
   * Removes one credential of an identity (`DELETE /admin/identities/{id}/credentials/{type}`).
   * Kratos decides what may go: TOTP and backup codes entirely, security keys
   * (`webauthn`) used as a second factor, one social link (`oidc`, with its
   * `provider:subject` identifier), a password only beside another first
   * factor; passkeys and codes never. A refusal or a missing credential comes
   * back as a KratosRejection with Kratos' reason.
   */
  async deleteIdentityCredential(id: string, type: CredentialType, identifier?: string): Promise<void> {
    const response = await call("kratos", "delete identity credential", () =>
      this.identities.deleteIdentityCredentials({ id, type, identifier }),
    );
    if (response.status === 404) throw new KratosRejection(404, reasonOf(response.data) ?? `This identity has no ${type} credential.`);
    ok(response, "remove the credential", [204]);
  }

  async listIdentitySessions(id: string, active?: boolean): Promise<Session[]> {
    const response = await call("kratos", "list identity sessions", () =>
      this.identities.listIdentitySessions({ id, active, pageSize: 250 }),
    );
    if (response.status === 404) return [];
    return ok(response, "list the identity's sessions");
  }

  async deleteIdentitySessions(id: string): Promise<void> {
    const response = await call("kratos", "revoke identity sessions", () => this.identities.deleteIdentitySessions({ id }));
    ok(response, "revoke the identity's sessions", [204, 404]);
  }

  async listSessions(params: { pageSize: number; pageToken?: string | undefined; active?: boolean | undefined }): Promise<Page<Session>> {
    const response = await call("kratos", "list sessions", () =>
      this.identities.listSessions({ pageSize: params.pageSize, pageToken: params.pageToken, active: params.active, expand: ["identity"] }),
    );
    return { items: ok(response, "list sessions"), nextPageToken: nextPageToken(response.headers.link) };
  }

  async getSession(id: string): Promise<Session | undefined> {
    const response = await call("kratos", "get session", () => this.identities.getSession({ id, expand: ["identity"] }));
    if (response.status === 404) return undefined;
    return ok(response, "get the session");
  }

  /**
   * Asks Kratos to extend a session (`PATCH /admin/sessions/{id}/extend`) and
   * returns it as it is afterwards, or undefined when it does not exist.
   * Kratos extends only within `session.earliest_possible_extend` of the
   * expiry and otherwise leaves it unchanged (still 200, or 204 when its
   * faster-extend flag is on, hence the read after it).
   */
  async extendSession(id: string): Promise<Session | undefined> {
    const response = await call("kratos", "extend session", () => this.identities.extendSession({ id }));
    if (response.status === 404) return undefined;
    const body = ok(response, "extend the session", [200, 204]);
    return response.status === 200 ? body : this.getSession(id);
  }

  async disableSession(id: string): Promise<void> {
    const response = await call("kratos", "revoke session", () => this.identities.disableSession({ id }));
    ok(response, "revoke the session", [204, 404]);
  }

  async listSchemas(): Promise<IdentitySchemaContainer[]> {
    const response = await call("kratos", "list schemas", () => this.schemas.listIdentitySchemas({ pageSize: 250 }));
    return ok(response, "list identity schemas");
  }

  async getSchema(id: string): Promise<Record<string, unknown> | undefined> {
    const response = await call("kratos", "get schema", () => this.schemas.getIdentitySchema({ id }));
    if (response.status === 404) return undefined;
    const parsed = jsonObject.safeParse(ok(response, "get the identity schema"));
    return parsed.success ? parsed.data : undefined;
  }

  async listCourierMessages(params: {
    pageSize: number;
    pageToken?: string | undefined;
    status?: CourierMessageStatus | undefined;
    recipient?: string | undefined;
  }): Promise<Page<Message>> {
    const response = await call("kratos", "list courier messages", () =>
      this.courier.listCourierMessages({
        pageSize: params.pageSize,
        pageToken: params.pageToken,
        status: params.status,
        recipient: params.recipient,
      }),
    );
    return { items: ok(response, "list courier messages"), nextPageToken: nextPageToken(response.headers.link) };
  }

  async getCourierMessage(id: string): Promise<Message | undefined> {
    const response = await call("kratos", "get courier message", () => this.courier.getCourierMessage({ id }));
    if (response.status === 404) return undefined;
    return ok(response, "get the courier message");
  }

  /** A recovery link for the operator to hand over (no mail is sent). */
  async createRecoveryLink(identityId: string, expiresIn?: string): Promise<{ link: string; expiresAt: string | undefined }> {
    const response = await call("kratos", "create recovery link", () =>
      this.identities.createRecoveryLinkForIdentity({
        createRecoveryLinkForIdentityBody: { identity_id: identityId, expires_in: expiresIn },
      }),
    );
    const body = ok(response, "create a recovery link", [200, 201]);
    return { link: body.recovery_link, expiresAt: body.expires_at };
  }

  /** A recovery code plus the link to enter it (no mail is sent). */
  async createRecoveryCode(identityId: string, expiresIn?: string): Promise<{ link: string; code: string; expiresAt: string | undefined }> {
    const response = await call("kratos", "create recovery code", () =>
      this.identities.createRecoveryCodeForIdentity({
        createRecoveryCodeForIdentityBody: { identity_id: identityId, expires_in: expiresIn },
      }),
    );
    const body = ok(response, "create a recovery code", [200, 201]);
    return { link: body.recovery_link, code: body.recovery_code, expiresAt: body.expires_at };
  }

  /**
   * Has Kratos mail a recovery message to `email`, exactly as if the person
   * had asked on the recovery page: a native (API) recovery flow is started
   * on the public API and submitted, so Kratos' courier sends its own
   * template. The method is the one the domain's recovery flow offers
   * (`selfservice.flows.recovery.use`): `preferred` when offered, else the
   * other. Returns the method used.
   */
  async sendRecoveryEmail(email: string, preferred: "code" | "link" = "code"): Promise<"code" | "link"> {
    const created = await call("kratos", "create recovery flow", () => this.frontend.createNativeRecoveryFlow());
    const flow = ok(created, "start a recovery flow");
    const offered = new Set(flow.ui.nodes.map((n) => n.group).filter((g) => g === "code" || g === "link"));
    const method = offered.has(preferred) || offered.size === 0 ? preferred : preferred === "code" ? "link" : "code";
    const body = method === "code" ? { method: "code" as const, email } : { method: "link" as const, email };
    const submitted = await call("kratos", "submit recovery flow", () =>
      this.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: body }),
    );
    if (submitted.status === 200) return method;
    if (submitted.status === 400) {
      // Some Kratos versions answer 400 with the flow in sent_email state: the mail is on its way.
      if (submitted.data.state === "sent_email") return method;
      const messages = (submitted.data.ui?.messages ?? []).filter((m) => m.type === "error").map((m) => m.text);
      throw new KratosRejection(400, messages.join(" ") || `Kratos did not accept recovery by ${method}`);
    }
    throw unexpected("kratos", "submit recovery flow", submitted);
  }
}

export { OryError };
