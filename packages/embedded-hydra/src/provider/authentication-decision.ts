import { FositeProviderError } from "../fosite-errors";

/** A login session the UI accepted with `remember: true` that has not run out (Hydra's GetRememberedLoginSession). */
export interface RememberedLogin {
  /** Hydra's login session id, which a skipped login request keeps as its `session_id`. */
  id: string;
  subject: string;
  authenticatedAt: Date;
}

export type AuthenticationDecision = { skip: true; remembered: RememberedLogin } | { skip: false };

function split(value: string | null): string[] {
  return (value ?? "").split(" ").filter(Boolean);
}

/**
 * Hydra's requestAuthentication and forwardAuthenticationRequest
 * (consent/strategy_default.go), on the request as the relying party sent
 * it: whether the login UI may skip authentication for the remembered login
 * session, or — for `prompt=none` and a mismatching `id_token_hint` — that
 * the client gets `login_required` instead of a login UI.
 *
 * - `prompt=login` or `select_account`: a fresh login, remembered or not;
 * - no remembered login: a fresh login (with `prompt=none`: login_required);
 * - a remembered login older than `max_age` seconds: a fresh login (with
 *   `prompt=none`: login_required);
 * - an `id_token_hint` whose subject is not the remembered one: login_required;
 * - otherwise the login UI gets `skip: true` and the remembered subject.
 */
export function decideAuthentication(
  request: URLSearchParams,
  remembered: RememberedLogin | undefined,
  hintSubject: string | undefined,
  /** The subject as this client sees it (pairwise clients get an obfuscated one; matchesValueFromSession accepts both). */
  obfuscate: (subject: string) => string = (subject) => subject,
): AuthenticationDecision {
  const prompts = split(request.get("prompt"));
  const none = prompts.includes("none");
  const fresh = (): AuthenticationDecision => {
    if (none) throw new FositeProviderError("login_required", "Prompt 'none' was requested, but no existing login session was found.");
    return { skip: false };
  };
  if (prompts.includes("login") || prompts.includes("select_account") || !remembered) return fresh();

  const rawMaxAge = request.get("max_age");
  const maxAge = rawMaxAge ? Number.parseInt(rawMaxAge, 10) : -1;
  if (Number.isInteger(maxAge) && maxAge > -1 && remembered.authenticatedAt.getTime() + maxAge * 1000 < Date.now()) {
    if (none)
      throw new FositeProviderError(
        "login_required",
        "Request failed because prompt is set to 'none' and authentication time reached 'max_age'.",
      );
    return { skip: false };
  }

  if (request.get("id_token_hint") && hintSubject !== remembered.subject && hintSubject !== obfuscate(remembered.subject)) {
    throw new FositeProviderError(
      "login_required",
      "Request failed because subject claim from id_token_hint does not match subject from authentication session.",
    );
  }
  return { skip: true, remembered };
}
