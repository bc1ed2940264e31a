import type { Deps } from "../../deps";

/**
 * The login a session that does not satisfy the required AAL is sent to
 * (session.ManagerHTTP.DoesSessionSatisfy): `<public>/self-service/login/browser?aal=aal2`,
 * plus `return_to` when the caller names where to come back to
 * (session.WithRequestURL), or — for a login that just finished
 * (ErrAALNotSatisfied.PassReturnToAndLoginChallengeParameters) — the
 * `return_to` and `login_challenge` of that flow's request URL. Query keys
 * are sorted, as Go's url.Values encodes them.
 */
export function aal2LoginUrl(deps: Deps, options: { returnTo?: string; passFrom?: string } = {}): string {
  const params = new Map<string, string>([["aal", "aal2"]]);
  if (options.returnTo) params.set("return_to", options.returnTo);
  if (options.passFrom && URL.canParse(options.passFrom)) {
    const source = new URL(options.passFrom).searchParams;
    const challenge = source.get("login_challenge");
    const returnTo = source.get("return_to");
    if (challenge) params.set("login_challenge", challenge);
    if (returnTo) params.set("return_to", returnTo);
  }
  const query = new URLSearchParams([...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${deps.config.publicBaseUrl}self-service/login/browser?${query.toString()}`;
}
