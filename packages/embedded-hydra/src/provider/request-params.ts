/**
 * Hydra reads an authorization request's parameters as the relying party
 * sent them; oidc-provider refuses or rewrites some of them. The public
 * router (public/hydra-paths.ts) therefore hands oidc-provider a rewritten
 * query plus marker parameters, and keeps the original query in one of them:
 * the login and consent requests' `request_url` and every Hydra decision
 * (prompt, max_age, id_token_hint) read that original.
 */

/** The query string exactly as the relying party sent it (Hydra's request_url is built from it). */
export const ORIGINAL_REQUEST_PARAM = "olympus_request";
/** `prompt=registration` was taken out of `prompt` (oidc-provider does not know it). */
export const REGISTRATION_PROMPT_PARAM = "olympus_prompt_registration";
/** `prompt=none` was taken out of `prompt`: Hydra's rules for it are applied when the challenges are created. */
export const PROMPT_NONE_PARAM = "olympus_prompt_none";
/** `prompt=consent` was added so oidc-provider keeps `offline_access` (OIDC Core lets it drop the scope otherwise). */
export const INJECTED_PROMPT_PARAM = "olympus_injected_prompt";

/**
 * The raw query, when it differs from the parameters Hydra decides on: a
 * request object's claims replaced some (public/request-objects.ts), or the
 * parameters were posted (a POST's `request_url` has only its URL's query),
 * while `request_url` stays what the relying party sent. Kept behind a `?`:
 * oidc-provider drops empty parameters, and a POST's query often is empty.
 */
const REQUEST_URL_PARAM = "olympus_request_url";

export function recordRequestUrlQuery(searchParams: URLSearchParams, rawQuery: string): void {
  searchParams.set(REQUEST_URL_PARAM, `?${rawQuery}`);
}

export const MARKER_PARAMS = [
  ORIGINAL_REQUEST_PARAM,
  REGISTRATION_PROMPT_PARAM,
  PROMPT_NONE_PARAM,
  INJECTED_PROMPT_PARAM,
  REQUEST_URL_PARAM,
] as const;

type Params = Record<string, unknown>;

function split(value: string | null | undefined): string[] {
  return (value ?? "").split(" ").filter(Boolean);
}

/**
 * Rewrites an authorization query for oidc-provider, in place; true when it
 * changed anything besides recording the original.
 * - `prompt=none` alone becomes a marker: Hydra sends a remembered browser
 *   through the login and consent UIs (with `skip`) even then, and answers
 *   login_required / consent_required itself otherwise.
 * - `registration` is taken out of `prompt` (it only picks the UI); with
 *   `none` the request is left for oidc-provider to refuse, as Hydra
 *   refuses `none` combined with anything.
 * - `select_account` becomes `login`: Hydra treats them alike (one account
 *   per login session).
 * - `offline_access` without `prompt` gets `prompt=consent` added.
 */
export function rewriteAuthorizationQuery(searchParams: URLSearchParams, rawQuery: string): void {
  // Markers come from this router only, never from the relying party.
  for (const marker of MARKER_PARAMS) searchParams.delete(marker);
  searchParams.set(ORIGINAL_REQUEST_PARAM, rawQuery);
  let prompts = split(searchParams.get("prompt"));
  if (prompts.includes("registration") && !prompts.includes("none")) {
    prompts = prompts.filter((prompt) => prompt !== "registration");
    searchParams.set(REGISTRATION_PROMPT_PARAM, "1");
  }
  if (prompts.length === 1 && prompts[0] === "none") {
    prompts = [];
    searchParams.set(PROMPT_NONE_PARAM, "1");
  }
  if (prompts.includes("select_account")) {
    prompts = [...new Set(prompts.map((prompt) => (prompt === "select_account" ? "login" : prompt)))];
  }
  if (prompts.length > 0) searchParams.set("prompt", prompts.join(" "));
  else searchParams.delete("prompt");
  if (split(searchParams.get("scope")).includes("offline_access") && !searchParams.has("prompt")) {
    searchParams.set("prompt", "consent");
    searchParams.set(INJECTED_PROMPT_PARAM, "1");
  }
}

/**
 * The parameters the relying party sent: the recorded original query, or —
 * for a request the router did not rewrite (POST) — oidc-provider's
 * parameters without the markers.
 */
export function originalRequest(params: Params): URLSearchParams {
  const raw = params[ORIGINAL_REQUEST_PARAM];
  if (typeof raw === "string") return new URLSearchParams(raw);
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string" && !(MARKER_PARAMS as readonly string[]).includes(key)) query.set(key, value);
  }
  return query;
}

/** The query of Hydra's `request_url`: byte for byte what was sent, when the router recorded it. */
export function originalRequestQuery(params: Params): string {
  const sent = params[REQUEST_URL_PARAM];
  if (typeof sent === "string") return sent.slice(1);
  const raw = params[ORIGINAL_REQUEST_PARAM];
  return typeof raw === "string" ? raw : originalRequest(params).toString();
}

export function requestedPrompts(params: Params): string[] {
  return split(originalRequest(params).get("prompt"));
}

export function wantsRegistrationUi(params: Params): boolean {
  return Boolean(params[REGISTRATION_PROMPT_PARAM]);
}
