import { z } from "zod";
import type { KratosConfig } from "../config/load";
import { KratosError } from "../http/errors";

/**
 * Kratos as Ory Hydra's login provider (hydra/hydra.go DefaultHydra): the two
 * admin API calls it makes, with plain fetch, to `oauth2_provider.url` with
 * `oauth2_provider.headers` on every request.
 */

/** `oauth2_provider` as Kratos' config schema describes it (url, headers, override_return_to). */
const oauth2ProviderSchema = z
  .looseObject({
    url: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    override_return_to: z.boolean().default(false),
  })
  .prefault({});

export type OAuth2ProviderConfig = z.output<typeof oauth2ProviderSchema>;

export function oauth2ProviderConfig(config: KratosConfig): OAuth2ProviderConfig {
  const parsed = oauth2ProviderSchema.safeParse(config.oauth2_provider ?? {});
  return parsed.success ? parsed.data : { override_return_to: false };
}

/** Hydra's OAuth2LoginRequest as its admin API answers it; passed through to flows as `oauth2_login_request`. */
export type OAuth2LoginRequest = Record<string, unknown> & { challenge?: string; skip?: boolean; request_url?: string };

export interface AcceptLoginRequestParams {
  loginChallenge: string;
  identityId: string;
  sessionId: string;
  /** The session's authentication methods, in order (their `method` becomes Hydra's `amr`). */
  authenticationMethods: readonly { method: string }[];
  /** session.cookie.persistent. */
  remember: boolean;
  /** session.lifespan in milliseconds (Hydra's remember_for is whole seconds). */
  sessionLifespanMs: number;
}

/** herodot.ErrMisconfiguration with the reason Kratos gives. */
function misconfiguration(reason: string): KratosError {
  return new KratosError(500, { id: "invalid_configuration", message: "Invalid configuration", reason });
}

/**
 * hydra.GetLoginChallengeID: whether the request carries `login_challenge`
 * (undefined when not), refused when Hydra is not configured (500) or the
 * parameter is empty (400).
 */
export function loginChallengeOf(config: KratosConfig, query: URLSearchParams): string | undefined {
  if (!query.has("login_challenge")) return undefined;
  if (adminUrl(config) === undefined)
    throw misconfiguration("refusing to parse login_challenge query parameter because oauth2_provider.url is invalid or unset");
  const challenge = query.get("login_challenge") ?? "";
  if (challenge === "") throw new KratosError(400, { reason: "the login_challenge parameter is present but empty" });
  return challenge;
}

function adminUrl(config: KratosConfig): URL | undefined {
  const raw = oauth2ProviderConfig(config).url;
  if (!raw) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function endpoint(config: KratosConfig, path: string, challenge: string): URL {
  const base = adminUrl(config);
  if (!base) throw misconfiguration("oauth2_provider.url is not configured");
  // The generated client joins the server URL and the operation path, keeping a path prefix of the server URL.
  const url = new URL(`${base.href.replace(/\/+$/, "")}${path}`);
  url.searchParams.set("login_challenge", challenge);
  return url;
}

function headers(config: KratosConfig, json: boolean): Headers {
  const out = new Headers({ Accept: "application/json" });
  if (json) out.set("Content-Type", "application/json");
  for (const [key, value] of Object.entries(oauth2ProviderConfig(config).headers ?? {})) out.set(key, value);
  return out;
}

/**
 * The error Kratos builds from a failed admin call: `status_code` when Hydra
 * answered, and `oauth2_error_hint` when the answer decodes as Hydra's
 * ErrorOAuth2 (GET answers 410 with a redirect instead, which carries no hint).
 */
async function failure(base: KratosError, res: Response | undefined, hintModel: boolean): Promise<KratosError> {
  if (!res) return base;
  base.withDetail("status_code", res.status);
  if (!hintModel) return base;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return base;
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const hint = (body as Record<string, unknown>).error_hint;
    base.withDetail("oauth2_error_hint", typeof hint === "string" ? hint : "");
  }
  return base;
}

async function call(url: URL, init: RequestInit): Promise<Response | undefined> {
  try {
    return await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(10_000) });
  } catch {
    return undefined;
  }
}

/** DefaultHydra.GetLoginRequest: GET /admin/oauth2/auth/requests/login. */
export async function getLoginRequest(config: KratosConfig, challenge: string): Promise<OAuth2LoginRequest> {
  if (challenge === "") throw new KratosError(400, { reason: "invalid login_challenge" });
  const res = await call(endpoint(config, "/admin/oauth2/auth/requests/login", challenge), { headers: headers(config, false) });
  if (res?.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as OAuth2LoginRequest;
  }
  // No answer or a 5xx is Hydra's fault (500); anything else means the challenge is unknown, used or expired (400).
  const status = res === undefined || res.status >= 500 || res.ok ? 500 : 400;
  const base = new KratosError(status, { reason: "Unable to get OAuth 2.0 Login Challenge." });
  return Promise.reject(await failure(base, res, res !== undefined && !res.ok && res.status !== 410));
}

/**
 * DefaultHydra.AcceptLoginRequest: PUT /admin/oauth2/auth/requests/login/accept
 * with the identity as subject, the Kratos session as identity_provider_session_id,
 * remember/remember_for from the session cookie settings and the methods as amr;
 * answers Hydra's redirect_to.
 */
export async function acceptLoginRequest(config: KratosConfig, params: AcceptLoginRequestParams): Promise<string> {
  const body = {
    subject: params.identityId,
    identity_provider_session_id: params.sessionId,
    remember: params.remember,
    remember_for: Math.trunc(params.sessionLifespanMs / 1000),
    amr: params.authenticationMethods.map((m) => m.method),
  };
  const res = await call(endpoint(config, "/admin/oauth2/auth/requests/login/accept", params.loginChallenge), {
    method: "PUT",
    headers: headers(config, true),
    body: JSON.stringify(body),
  });
  if (res?.ok) {
    const answer = (await res.json().catch(() => undefined)) as { redirect_to?: unknown } | undefined;
    if (typeof answer?.redirect_to === "string") return answer.redirect_to;
  }
  const base = new KratosError(500, { reason: "Unable to accept OAuth 2.0 Login Challenge." });
  return Promise.reject(await failure(base, res, res !== undefined && !res.ok));
}
