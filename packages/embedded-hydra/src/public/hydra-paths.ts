import type { IncomingMessage, ServerResponse } from "node:http";
import type { HydraContext } from "../context";
import { readForm } from "../http";
import { ROUTES } from "../provider/create-provider";
import { INJECTED_PROMPT_PARAM, REGISTRATION_PROMPT_PARAM } from "../provider/interactions";
import { completeLogout, startLogout } from "./logout";
import type { Mapping } from "./responses";
import { redeemVerifier } from "./verifiers";

export type { Mapping } from "./responses";

/**
 * Hydra's browser-facing URLs on top of oidc-provider's:
 * - `/oauth2/auth?…&login_verifier=` / `consent_verifier=` redeem the UI's
 *   decision and, in the browser that started the authorization only,
 *   continue oidc-provider's interaction at its resume path (verifiers.ts);
 * - `/oauth2/sessions/logout` (with or without `logout_verifier`) is Hydra's
 *   logout, answered here (logout.ts);
 * - `prompt=registration` (Hydra's own value, unknown to oidc-provider) is
 *   taken out of `prompt` and kept as a marker: it only changes where the
 *   login challenge is sent (`urls.registration`);
 * - `offline_access` without `prompt=consent` gets the prompt added, because
 *   OIDC Core lets oidc-provider drop it otherwise, while Hydra honours it
 *   (the consent UI always runs here anyway; the marker keeps `skip` honest).
 */
export async function mapHydraRequest(hctx: HydraContext, req: IncomingMessage, res: ServerResponse): Promise<Mapping> {
  const url = new URL(req.url ?? "/", "http://placeholder");
  const { searchParams } = url;

  if (url.pathname === ROUTES.authorization && req.method === "GET") {
    for (const kind of ["login", "consent"] as const) {
      const verifier = searchParams.get(`${kind}_verifier`);
      if (verifier !== null) return redeemVerifier(hctx, req, kind, verifier);
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

  if (url.pathname === ROUTES.end_session && (req.method === "GET" || req.method === "POST")) {
    const verifier = searchParams.get("logout_verifier");
    if (verifier !== null) return completeLogout(hctx, req, res, verifier);
    // Like Go's ParseForm: the query, overridden by a posted form.
    const params = new URLSearchParams(searchParams);
    if (req.method === "POST") for (const [key, value] of await readForm(req)) params.set(key, value);
    return startLogout(hctx, req, res, params);
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
