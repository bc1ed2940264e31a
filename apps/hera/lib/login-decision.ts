/**
 * What Hera does with a Hydra login request, decided from server-side facts
 * only: Hydra's login request (fetched from Hydra's admin API), the browser's
 * Kratos session (checked with Kratos), the identity's state and second
 * factors (Kratos admin API), the domain's MFA policy (Athena's settings over
 * the start-up defaults) and,
 * for a re-authentication, a proof Hera itself sealed. Nothing the browser
 * can edit takes part.
 */

/** The parts of Hydra's login request the decision reads. */
export interface LoginRequestFacts {
  skip: boolean;
  subject: string;
  /** The authorization request as the client sent it (prompt, max_age). */
  requestUrl: string | undefined;
}

/** The browser's Kratos session, as Kratos reported it. */
export interface SessionFacts {
  identityId: string;
  identityActive: boolean;
  /** When the person last proved who they are (ms since the epoch). */
  authenticatedAt: number;
  /** The session's authenticator assurance level (`aal1`: password only, `aal2`: plus a second factor). */
  aal: string;
  /** The methods the session was authenticated with (`password`, `totp`, …); undefined: not known, the level alone counts. */
  methods?: readonly string[] | undefined;
}

/**
 * The domain's second-factor policy applied to the session's identity. When
 * it is required, the identity's second factors and grace period come from
 * Kratos' admin API (credentials and `created_at`).
 */
export type MfaFacts =
  | { required: false }
  | {
      required: true;
      /** The identity has a second factor of a method the policy allows (by default a TOTP device or a security key). */
      enrolled: boolean;
      /** Until when (ms since the epoch) the identity may sign in without one: created_at + the grace days. */
      graceEndsAt: number;
      /** The second-factor methods the policy allows; a session at aal2 through another one does not satisfy it. Undefined: any. */
      allowedMethods?: readonly string[];
    };

export interface LoginDecisionInput {
  request: LoginRequestFacts;
  /** undefined: no active Kratos session in this browser. */
  session: SessionFacts | undefined;
  /** Kratos has a session but it needs a second factor first. */
  aal2Required: boolean;
  /** For `skip`: whether the remembered subject is (still) an active identity. */
  subjectActive: boolean | undefined;
  /** From a valid re-authentication proof for this challenge: sign-ins at or after it are fresh. */
  reauthSince: number | undefined;
  mfa: MfaFacts;
  now: number;
}

export type LoginDecision =
  /**
   * Accept the login for the session's identity. `mfaGraceEndsAt`: accepted
   * without the second factor the policy requires because the identity is
   * still within its grace period, until then (ms); Hera vouches for it in
   * the ID token so Athena can tell.
   */
  | { kind: "accept"; mfaGraceEndsAt?: number }
  /** Hydra remembers someone this browser has no matching, active Kratos session for: forget Hydra's login session and start the authorization again. */
  | { kind: "forget_remembered_login" }
  /**
   * The session needs its second factor before anything else. `refresh`: it
   * is at aal2 already, through a method the policy does not allow, so
   * Kratos must ask for the second factor again (an aal2 login alone would
   * find the level met and come straight back).
   */
  | { kind: "step_up"; refresh?: true }
  /** The policy requires a second factor the identity does not have, and its grace period is over: enrol one in settings first. */
  | { kind: "enrol_second_factor" }
  /** Sign in (again, when `refresh`): Kratos' login flow, which returns to this challenge. */
  | { kind: "sign_in"; refresh: boolean }
  /**
   * `prompt=none` and anything but an acceptance: no page may be shown, so
   * the client gets OpenID Connect's `login_required` (Hydra's own answer
   * when it has no login to remember). `forgetRememberedLogin`: Hydra's
   * remembered login for this browser must be ended first.
   */
  | { kind: "login_required"; forgetRememberedLogin: boolean };

/** Whether the authorization request says `prompt=none`: the client wants an answer without any page. */
export function promptsNone(requestUrl: string | undefined): boolean {
  return promptValues(requestUrl).includes("none");
}

function promptValues(requestUrl: string | undefined): string[] {
  if (!requestUrl) return [];
  try {
    return (new URL(requestUrl).searchParams.get("prompt") ?? "").split(" ");
  } catch {
    return [];
  }
}

/** `prompt=login`, or `max_age`, from the authorization request. */
export function freshnessRequirement(requestUrl: string | undefined): { promptLogin: boolean; maxAgeSeconds: number | undefined } {
  if (!requestUrl) return { promptLogin: false, maxAgeSeconds: undefined };
  let params: URLSearchParams;
  try {
    params = new URL(requestUrl).searchParams;
  } catch {
    return { promptLogin: false, maxAgeSeconds: undefined };
  }
  const promptLogin = (params.get("prompt") ?? "").split(" ").includes("login");
  const rawMaxAge = params.get("max_age");
  const maxAgeSeconds = rawMaxAge !== null && /^\d{1,10}$/.test(rawMaxAge) ? Number(rawMaxAge) : undefined;
  return { promptLogin, maxAgeSeconds };
}

/** Whether the session's last sign-in satisfies `prompt=login` / `max_age`. */
function isFreshEnough(input: LoginDecisionInput, session: SessionFacts): boolean {
  const { promptLogin, maxAgeSeconds } = freshnessRequirement(input.request.requestUrl);
  const signedInSinceProof = input.reauthSince !== undefined && session.authenticatedAt >= input.reauthSince;
  if (promptLogin || maxAgeSeconds === 0) return signedInSinceProof;
  if (maxAgeSeconds !== undefined) return signedInSinceProof || input.now - session.authenticatedAt <= maxAgeSeconds * 1000;
  return true;
}

export function decideLogin(input: LoginDecisionInput): LoginDecision {
  const decision = decideInteractiveLogin(input);
  if (decision.kind === "accept" || !promptsNone(input.request.requestUrl)) return decision;
  return { kind: "login_required", forgetRememberedLogin: decision.kind === "forget_remembered_login" };
}

function decideInteractiveLogin(input: LoginDecisionInput): LoginDecision {
  const session = input.session?.identityActive ? input.session : undefined;

  if (input.request.skip) {
    // Hydra only remembers; Kratos and the identity's state decide. A remembered login is
    // honoured only for the person signed in to Kratos in this very browser, and only while
    // that identity is active — otherwise a signed-out or deactivated person would get in.
    if (!session || session.identityId !== input.request.subject || input.subjectActive !== true) {
      return { kind: "forget_remembered_login" };
    }
  }

  if (!session) return input.aal2Required ? { kind: "step_up" } : { kind: "sign_in", refresh: false };
  if (!isFreshEnough(input, session)) return { kind: "sign_in", refresh: true };
  return secondFactorDecision(input.mfa, session, input.now);
}

/** AAL2 (or above) is a sign-in with a second factor. */
function hasSecondFactorSession(session: Pick<SessionFacts, "aal">): boolean {
  return session.aal === "aal2" || session.aal === "aal3";
}

/** A second factor the policy counts: the session's methods include an allowed one (when both are known). */
function usedAllowedMethod(session: Pick<SessionFacts, "methods">, allowed: readonly string[] | undefined): boolean {
  if (!allowed || !session.methods) return true;
  return session.methods.some((method) => allowed.includes(method));
}

/**
 * Where the policy requires a second factor, only an aal2 session is
 * accepted. Below that: someone with a device steps up to it; someone
 * without one enrols first — unless the identity is still within its grace
 * period, which is accepted at aal1, and said so. The same verdict decides
 * native (API) sign-ins at Hera's edge.
 */
export function secondFactorDecision(
  mfa: MfaFacts,
  session: Pick<SessionFacts, "aal" | "methods">,
  now: number,
): Extract<LoginDecision, { kind: "accept" | "step_up" | "enrol_second_factor" }> {
  if (!mfa.required) return { kind: "accept" };
  const atAal2 = hasSecondFactorSession(session);
  if (atAal2 && usedAllowedMethod(session, mfa.allowedMethods)) return { kind: "accept" };
  if (mfa.enrolled) return atAal2 ? { kind: "step_up", refresh: true } : { kind: "step_up" };
  if (now < mfa.graceEndsAt) return { kind: "accept", mfaGraceEndsAt: mfa.graceEndsAt };
  return { kind: "enrol_second_factor" };
}
