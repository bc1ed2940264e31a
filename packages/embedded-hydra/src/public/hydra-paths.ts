import type { IncomingMessage } from "node:http";
import type { HydraContext } from "../context";
import { withQuery } from "../context";
import { INJECTED_PROMPT_PARAM, REGISTRATION_PROMPT_PARAM } from "../provider/interactions";
import { LOGOUT_XSRF_KEY } from "../provider/logout";
import { ROUTES } from "../provider/create-provider";

/** What the public server should do with a request before oidc-provider sees it. */
export type Mapping = { kind: "pass" } | { kind: "redirect"; location: string };

function errorRedirect(hctx: HydraContext, description: string): Mapping {
  const target = hctx.config.urls.error;
  const location = target
    ? withQuery(target, { error: "invalid_request", error_description: description })
    : `${hctx.publicUrl}oauth2/fallbacks/error?error=invalid_request`;
  return { kind: "redirect", location };
}

/**
 * Hydra's browser-facing URLs on top of oidc-provider's:
 * - `/oauth2/auth?…&login_verifier=` / `consent_verifier=` redeem the UI's
 *   decision and continue oidc-provider's interaction at its resume path;
 * - `/oauth2/sessions/logout?logout_verifier=` becomes oidc-provider's logout
 *   confirmation (a POST carrying its xsrf secret);
 * - `prompt=registration` (Hydra's own value, unknown to oidc-provider) is
 *   taken out of `prompt` and kept as a marker: it only changes where the
 *   login challenge is sent (`urls.registration`);
 * - `offline_access` without `prompt=consent` gets the prompt added, because
 *   OIDC Core lets oidc-provider drop it otherwise, while Hydra honours it
 *   (the consent UI always runs here anyway; the marker keeps `skip` honest).
 */
export async function mapHydraRequest(hctx: HydraContext, req: IncomingMessage): Promise<Mapping> {
  const url = new URL(req.url ?? "/", "http://placeholder");
  const { searchParams } = url;

  if (url.pathname === ROUTES.authorization && req.method === "GET") {
    for (const kind of ["login", "consent"] as const) {
      const verifier = searchParams.get(`${kind}_verifier`);
      if (verifier === null) continue;
      const flow = await hctx.flows.redeem(kind, verifier);
      if (!flow?.interactionUid) return errorRedirect(hctx, `The ${kind} verifier has already been used, has not been granted, or is invalid.`);
      return { kind: "redirect", location: `${ROUTES.authorization}/${encodeURIComponent(flow.interactionUid)}` };
    }
    let rewritten = extractRegistrationPrompt(searchParams);
    const scopes = (searchParams.get("scope") ?? "").split(" ");
    if (scopes.includes("offline_access") && !searchParams.has("prompt")) {
      searchParams.set("prompt", "consent");
      searchParams.set(INJECTED_PROMPT_PARAM, "1");
      rewritten = true;
    }
    if (rewritten) req.url = `${url.pathname}?${searchParams.toString()}`;
    return { kind: "pass" };
  }

  if (url.pathname === ROUTES.end_session && searchParams.has("logout_verifier")) {
    const flow = await hctx.flows.redeem("logout", searchParams.get("logout_verifier") ?? "");
    const xsrf = flow?.request[LOGOUT_XSRF_KEY];
    if (!flow || typeof xsrf !== "string") return errorRedirect(hctx, "The logout verifier has already been used, has not been granted, or is invalid.");
    rewriteAsForm(req, `${ROUTES.end_session}/confirm`, new URLSearchParams({ xsrf, logout: "yes" }));
  }
  return { kind: "pass" };
}

/**
 * Moves `registration` out of `prompt` into a marker parameter. With `none`
 * the request is left alone: oidc-provider then refuses it, as Hydra refuses
 * `none` combined with anything else.
 */
function extractRegistrationPrompt(searchParams: URLSearchParams): boolean {
  const prompts = (searchParams.get("prompt") ?? "").split(" ").filter(Boolean);
  if (!prompts.includes("registration") || prompts.includes("none")) return false;
  const rest = prompts.filter((prompt) => prompt !== "registration");
  if (rest.length > 0) searchParams.set("prompt", rest.join(" "));
  else searchParams.delete("prompt");
  searchParams.set(REGISTRATION_PROMPT_PARAM, "1");
  return true;
}

/** Turns a body-less GET into a form POST to another path, before anything has read the stream. */
function rewriteAsForm(req: IncomingMessage, path: string, form: URLSearchParams): void {
  const body = Buffer.from(form.toString());
  req.method = "POST";
  req.url = path;
  req.headers["content-type"] = "application/x-www-form-urlencoded";
  req.headers["content-length"] = String(body.length);
  delete req.headers["transfer-encoding"];
  req.unshift(body);
}
