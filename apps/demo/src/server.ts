import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import * as oidc from "openid-client";
import type { DemoConfig } from "./config";
import { clearCookie, cookieNames, parseCookies, serializeCookie } from "./cookies";
import { CONTENT_SECURITY_POLICY, errorPage, homePage } from "./pages";
import type { Intent, PendingAuthorization, RelyingParty, SignedInCustomer } from "./relying-party";
import { SessionStore } from "./sessions";

/** An authorization must come back within Hydra's login/consent lifetime; the customer may take a while to sign up and verify. */
const AUTHORIZATION_TTL_SECONDS = 30 * 60;
/** The demo's own session; the ID token inside expires sooner, but the demo only shows it. */
const SESSION_TTL_SECONDS = 8 * 60 * 60;

export interface DemoServerOptions {
  config: DemoConfig;
  relyingParty: RelyingParty;
  /** One JSON line per request; never a cookie, code or token. */
  log?: (line: Record<string, unknown>) => void;
}

/** A reply to send: status, extra headers and an HTML body (or a redirect). */
interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  html?: string;
}

const redirect = (location: string, cookies: string[] = []): Reply => ({
  status: 303,
  headers: { Location: location, "Set-Cookie": cookies },
});
const page = (status: number, html: string, cookies: string[] = []): Reply => ({ status, html, headers: { "Set-Cookie": cookies } });

/**
 * The demo relying party's HTTP server: `/` shows who is signed in,
 * `/signup` and `/signin` start an authorization at CIAM Hydra, `/callback`
 * finishes it, `POST /signout` ends the local session and continues with
 * RP-initiated logout (which Hera CIAM completes, ending the Kratos session).
 */
export function createDemoServer({ config, relyingParty, log = (line) => console.log(JSON.stringify(line)) }: DemoServerOptions): Server {
  const names = cookieNames(config.secureCookies);
  const secure = config.secureCookies;
  const sessions = new SessionStore<SignedInCustomer>({ ttlMs: SESSION_TTL_SECONDS * 1000, maxEntries: 10_000 });
  const authorizations = new SessionStore<PendingAuthorization>({ ttlMs: AUTHORIZATION_TTL_SECONDS * 1000, maxEntries: 10_000 });

  async function start(intent: Intent, cookies: Map<string, string>): Promise<Reply> {
    // A previous, abandoned attempt in this browser is void from now on.
    authorizations.delete(cookies.get(names.authorization));
    const { url, pending } = await relyingParty.startAuthorization(intent);
    const id = authorizations.create(pending);
    return redirect(url.href, [serializeCookie(names.authorization, id, { maxAgeSeconds: AUTHORIZATION_TTL_SECONDS, secure })]);
  }

  async function callback(requestUrl: URL, cookies: Map<string, string>): Promise<Reply> {
    const clearAuthorization = clearCookie(names.authorization, secure);
    const pending = authorizations.take(cookies.get(names.authorization));
    if (!pending) {
      return page(400, errorPage("Sign-in expired", "This sign-in was not started here or has expired. Please start again."), [
        clearAuthorization,
      ]);
    }
    // The URL as the browser sent it to the registered redirect URI (openid-client derives redirect_uri from it).
    const callbackUrl = new URL(`${requestUrl.pathname}${requestUrl.search}`, config.publicUrl);
    let customer: SignedInCustomer;
    try {
      customer = await relyingParty.finishAuthorization(callbackUrl, pending);
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError && error.error === "access_denied") {
        return page(403, errorPage("Not signed in", "The sign-in was cancelled or refused."), [clearAuthorization]);
      }
      if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError || isCheckFailure(error)) {
        log({ level: "warn", msg: "callback refused", error: errorCode(error) });
        return page(400, errorPage("Sign-in failed", "The sign-in could not be completed. Please start again."), [clearAuthorization]);
      }
      throw error;
    }
    // A fresh session id at every sign-in: an id planted before sign-in is never the one that gets signed in.
    sessions.delete(cookies.get(names.session));
    const sessionId = sessions.create(customer);
    return redirect("/", [clearAuthorization, serializeCookie(names.session, sessionId, { maxAgeSeconds: SESSION_TTL_SECONDS, secure })]);
  }

  async function signOut(cookies: Map<string, string>): Promise<Reply> {
    const id = cookies.get(names.session);
    const customer = sessions.take(id);
    const cleared = [clearCookie(names.session, secure)];
    if (!customer) return redirect("/", cleared);
    return redirect((await relyingParty.logoutUrl(customer.idToken)).href, cleared);
  }

  async function route(req: IncomingMessage, url: URL): Promise<Reply> {
    const cookies = parseCookies(req.headers.cookie);
    const method = req.method ?? "GET";
    const key = `${method} ${url.pathname}`;
    switch (key) {
      case "GET /": {
        const customer = sessions.get(cookies.get(names.session));
        return page(200, homePage(customer ? { email: customer.email, claims: customer.claims } : undefined));
      }
      case "GET /signup":
        return start("signup", cookies);
      case "GET /signin":
        return start("signin", cookies);
      case "GET /callback":
        return callback(url, cookies);
      case "POST /signout":
        return signOut(cookies);
      case "GET /api/health":
        return { status: 200, headers: { "Content-Type": "application/json" }, html: JSON.stringify({ status: "ok", app: "demo" }) };
      default:
        if (["/", "/signup", "/signin", "/callback", "/signout", "/api/health"].includes(url.pathname)) {
          return { status: 405, html: errorPage("Method not allowed", "This page does not accept that request.") };
        }
        return page(404, errorPage("Not found", "There is no such page."));
    }
  }

  return createServer((req, res) => {
    const started = performance.now();
    if (!URL.canParse(req.url ?? "/", config.publicUrl.href)) {
      send(res, page(400, errorPage("Bad request", "That address is not valid.")));
      return;
    }
    const url = new URL(req.url ?? "/", config.publicUrl);
    route(req, url)
      .catch((error: unknown): Reply => {
        log({ level: "error", msg: "request failed", path: url.pathname, error: errorCode(error) });
        return page(
          503,
          errorPage("Temporarily unavailable", "The sign-in service cannot be reached right now. Please try again shortly."),
        );
      })
      .then((reply) => {
        send(res, reply);
        log({
          level: "info",
          method: req.method,
          path: url.pathname,
          status: reply.status,
          duration_ms: Math.round(performance.now() - started),
        });
      });
  });
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  // The callback URL carries the code; no page should pass its URL on.
  res.setHeader("Referrer-Policy", "no-referrer");
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    if (Array.isArray(value) && value.length === 0) continue;
    res.setHeader(name, value);
  }
  res.end(reply.html ?? "");
}

/** openid-client's own check failures (state, nonce, PKCE, ID token validation) are customer-recoverable, not outages. */
function isCheckFailure(error: unknown): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("OAUTH_");
}

/** A short, safe identifier of an error for the log line (no messages that could echo tokens). */
function errorCode(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return error.error;
  if (error instanceof Error && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.name : "unknown";
}
