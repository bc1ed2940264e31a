import "server-only";
import { Configuration, FrontendApi, IdentityApi, type FlowError, type Identity, type Session } from "@ory/client";
import type { AxiosResponse, RawAxiosRequestConfig } from "axios";
import { z } from "zod";
import { adminConfiguration, call, createOryAxios, setCookiesOf, unexpected, upstreamErrorId } from "../ory/http";
import { cookieHeaders, hostOnlySetCookie } from "./cookies";
import type { CreateFlowParams, FlowByKind, FlowKind, FlowResult, SessionResult } from "./types";

export interface KratosUrls {
  /** Kratos' public API as this server reaches it. */
  publicUrl: string;
  /** Kratos' admin API (never exposed to browsers). */
  adminUrl: string;
  /** Optional bearer token for the admin API. */
  adminToken?: string | undefined;
  /**
   * Kratos' public API as browsers reach it. Flows created server-side are
   * announced with this host (X-Forwarded-Host/-Proto) so the URLs Kratos
   * writes into them (request_url, ui.action) work in the browser.
   */
  browserUrl?: string | undefined;
}

/** The parts of Ory's error envelope the wrappers branch on. */
const errorEnvelope = z.object({
  error: z
    .object({
      id: z.string().optional(),
      details: z.object({ return_to: z.string().optional(), redirect_to: z.string().optional() }).passthrough().optional(),
    })
    .passthrough()
    .optional(),
  redirect_browser_to: z.string().optional(),
});

/** Minimal shape check: a 200 body is only trusted as a flow if it looks like one. */
const flowShape = z.object({ id: z.string(), ui: z.object({ nodes: z.array(z.unknown()) }).passthrough() }).passthrough();

function isFlowOf<K extends FlowKind>(body: unknown): body is FlowByKind[K] {
  return flowShape.safeParse(body).success;
}

type Frontend = FrontendApi;
type Options = RawAxiosRequestConfig;

/** Per-kind calls of the generated FrontendApi. */
const FLOW_CALLS: {
  [K in FlowKind]: {
    create: (api: Frontend, p: CreateFlowParams, o: Options) => Promise<AxiosResponse<FlowByKind[K]>>;
    get: (api: Frontend, id: string, o: Options) => Promise<AxiosResponse<FlowByKind[K]>>;
  };
} = {
  login: {
    create: (api, p, o) =>
      api.createBrowserLoginFlow({ returnTo: p.returnTo, refresh: p.refresh, aal: p.aal, loginChallenge: p.loginChallenge }, o),
    get: (api, id, o) => api.getLoginFlow({ id }, o),
  },
  registration: {
    create: (api, p, o) =>
      api.createBrowserRegistrationFlow(
        { returnTo: p.returnTo, loginChallenge: p.loginChallenge, afterVerificationReturnTo: p.afterVerificationReturnTo },
        o,
      ),
    get: (api, id, o) => api.getRegistrationFlow({ id }, o),
  },
  recovery: {
    create: (api, p, o) => api.createBrowserRecoveryFlow({ returnTo: p.returnTo }, o),
    get: (api, id, o) => api.getRecoveryFlow({ id }, o),
  },
  verification: {
    create: (api, p, o) => api.createBrowserVerificationFlow({ returnTo: p.returnTo }, o),
    get: (api, id, o) => api.getVerificationFlow({ id }, o),
  },
  settings: {
    create: (api, p, o) => api.createBrowserSettingsFlow({ returnTo: p.returnTo }, o),
    get: (api, id, o) => api.getSettingsFlow({ id }, o),
  },
};

/**
 * Server-side access to one domain's Kratos, forwarding the browser's cookies
 * and handing Kratos' Set-Cookie back (host-only) for the app to relay.
 */
export class KratosClient {
  private readonly frontend: FrontendApi;
  private readonly identities: IdentityApi;
  private readonly forwardedHeaders: Record<string, string>;

  constructor(urls: KratosUrls) {
    const browser = urls.browserUrl ? new URL(urls.browserUrl) : undefined;
    this.forwardedHeaders = browser ? { "X-Forwarded-Host": browser.host, "X-Forwarded-Proto": browser.protocol.replace(":", "") } : {};
    const http = createOryAxios();
    this.frontend = new FrontendApi(new Configuration({ basePath: urls.publicUrl }), urls.publicUrl, http);
    this.identities = new IdentityApi(adminConfiguration(urls.adminUrl, urls.adminToken), urls.adminUrl, http);
  }

  /** `GET /self-service/<kind>/browser` as a JSON (SPA) request. */
  async createBrowserFlow<K extends FlowKind>(kind: K, params: CreateFlowParams, cookie: string | undefined): Promise<FlowResult<K>> {
    const calls = FLOW_CALLS[kind];
    const headers = { ...this.forwardedHeaders, ...cookieHeaders(cookie) };
    const response = await call("kratos", `create ${kind} flow`, () => calls.create(this.frontend, params, { headers }));
    return this.toFlowResult<K>(kind, response, `create ${kind} flow`);
  }

  /** `GET /self-service/<kind>/flows?id=` with the browser's cookies (the CSRF cookie must be among them). */
  async getFlow<K extends FlowKind>(kind: K, id: string, cookie: string | undefined): Promise<FlowResult<K>> {
    const calls = FLOW_CALLS[kind];
    const response = await call("kratos", `get ${kind} flow`, () => calls.get(this.frontend, id, { headers: cookieHeaders(cookie) }));
    return this.toFlowResult<K>(kind, response, `get ${kind} flow`);
  }

  private toFlowResult<K extends FlowKind>(kind: FlowKind, response: AxiosResponse<unknown>, what: string): FlowResult<K> {
    const body: unknown = response.data;
    const setCookie = setCookiesOf(response).map(hostOnlySetCookie);
    if (response.status === 200 && isFlowOf<K>(body)) return { status: "ok", flow: body, setCookie };

    const envelope = errorEnvelope.safeParse(body);
    const error = envelope.success ? envelope.data : {};
    const id = upstreamErrorId(body);
    const returnTo = error.error?.details?.return_to;
    const redirectTo = error.redirect_browser_to ?? error.error?.details?.redirect_to;

    if (id === "self_service_flow_disabled") return { status: "disabled" };
    if (id === "session_already_available") return { status: "session_already_available" };
    if (id === "security_csrf_violation") return { status: "restart", reason: "csrf", returnTo };
    if (id === "self_service_flow_replaced") return { status: "restart", reason: "replaced", returnTo };
    if (id === "self_service_flow_expired" || response.status === 410) return { status: "restart", reason: "expired", returnTo };
    if (response.status === 404) return { status: "restart", reason: "not_found", returnTo };
    if (response.status === 401 && kind === "settings") return { status: "login_required" };
    if ((response.status === 403 || response.status === 422) && error.redirect_browser_to) {
      return { status: "redirect", to: error.redirect_browser_to, reason: id ?? `status_${response.status}` };
    }
    if (response.status === 403 && id === "session_aal2_required") {
      return { status: "redirect", to: redirectTo ?? "", reason: id };
    }
    throw unexpected("kratos", what, response);
  }

  /** `GET /sessions/whoami` for the browser's cookies. */
  async toSession(cookie: string | undefined): Promise<SessionResult> {
    if (!cookie) return { status: "none" };
    const response = await call("kratos", "whoami", () => this.frontend.toSession({}, { headers: cookieHeaders(cookie) }));
    if (response.status === 200) return { status: "active", session: response.data };
    if (response.status === 401) return { status: "none" };
    const body: unknown = response.data;
    if (response.status === 403 && upstreamErrorId(body) === "session_aal2_required") {
      const parsed = errorEnvelope.safeParse(body);
      return { status: "aal2_required", redirectTo: parsed.success ? parsed.data.redirect_browser_to : undefined };
    }
    throw unexpected("kratos", "whoami", response);
  }

  /** `GET /self-service/logout/browser`: the logout token, or undefined without a session. */
  async createLogoutFlow(cookie: string | undefined, returnTo?: string): Promise<{ logoutUrl: string; logoutToken: string } | undefined> {
    if (!cookie) return undefined;
    const response = await call("kratos", "create logout flow", () =>
      this.frontend.createBrowserLogoutFlow({ returnTo }, { headers: cookieHeaders(cookie) }),
    );
    if (response.status === 200) return { logoutUrl: response.data.logout_url, logoutToken: response.data.logout_token };
    if (response.status === 401 || response.status === 403) return undefined;
    throw unexpected("kratos", "create logout flow", response);
  }

  /** `GET /self-service/logout?token=` as JSON: ends the session; the returned Set-Cookie clears the browser's cookie. */
  async performLogout(token: string, cookie: string | undefined): Promise<{ setCookie: string[] }> {
    const response = await call("kratos", "logout", () => this.frontend.updateLogoutFlow({ token }, { headers: cookieHeaders(cookie) }));
    if (response.status === 204 || response.status === 200 || response.status === 303) {
      return { setCookie: setCookiesOf(response).map(hostOnlySetCookie) };
    }
    // The session is already gone: nothing left to end.
    if (response.status === 401 || response.status === 410) return { setCookie: [] };
    throw unexpected("kratos", "logout", response);
  }

  /** The browser's other sessions (`GET /sessions`). */
  async listMySessions(cookie: string | undefined): Promise<Session[]> {
    const response = await call("kratos", "list sessions", () => this.frontend.listMySessions({}, { headers: cookieHeaders(cookie) }));
    if (response.status === 200) return response.data;
    if (response.status === 401 || response.status === 403) return [];
    throw unexpected("kratos", "list sessions", response);
  }

  /** Ends one of the browser's other sessions (`DELETE /sessions/{id}`). */
  async revokeMySession(id: string, cookie: string | undefined): Promise<void> {
    const response = await call("kratos", "revoke session", () =>
      this.frontend.disableMySession({ id }, { headers: cookieHeaders(cookie) }),
    );
    if (response.status === 204 || response.status === 200 || response.status === 404) return;
    throw unexpected("kratos", "revoke session", response);
  }

  /** Ends all of the browser's other sessions (`DELETE /sessions`); returns how many. */
  async revokeMyOtherSessions(cookie: string | undefined): Promise<number> {
    const response = await call("kratos", "revoke other sessions", () =>
      this.frontend.disableMyOtherSessions({}, { headers: cookieHeaders(cookie) }),
    );
    if (response.status === 200) return response.data.count ?? 0;
    if (response.status === 204) return 0;
    throw unexpected("kratos", "revoke other sessions", response);
  }

  /** `GET /self-service/errors?id=`: a user-facing error Kratos stored, or undefined when unknown. */
  async getFlowError(id: string): Promise<FlowError | undefined> {
    const response = await call("kratos", "get flow error", () => this.frontend.getFlowError({ id }));
    if (response.status === 200) return response.data;
    if (response.status === 404 || response.status === 400) return undefined;
    throw unexpected("kratos", "get flow error", response);
  }

  /**
   * Admin: one identity by id, or undefined when it does not exist; the
   * credentials' config only for the types named (`include_credential`).
   */
  async getIdentity(
    id: string,
    includeCredentials: readonly ("password" | "oidc" | "totp" | "webauthn" | "lookup_secret" | "code" | "passkey")[] = [],
  ): Promise<Identity | undefined> {
    const response = await call("kratos", "get identity", () =>
      this.identities.getIdentity({ id, ...(includeCredentials.length > 0 ? { includeCredential: [...includeCredentials] } : {}) }),
    );
    if (response.status === 200) return response.data;
    if (response.status === 404) return undefined;
    throw unexpected("kratos", "get identity", response);
  }
}
