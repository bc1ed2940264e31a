import type { EffectiveMfaPolicy } from "@olympus/athena-store/settings";
import { secondFactorDecision } from "../../login-decision";
import { methodsNotOffered, mfaFactsOf, withoutEnrolmentOf, type PolicyIdentity } from "../../second-factor-policy";

/** Kratos' error id for a session below the assurance level asked for (text.ErrIDHigherAALRequired). */
export const HIGHER_AAL_REQUIRED = "session_aal2_required";

export interface SecondFactorGateOptions {
  /** The domain's MFA policy now (Athena's settings over the start-up defaults). */
  policy: () => Promise<EffectiveMfaPolicy>;
  /** The identity as Kratos' admin API shows it (credentials, created_at); undefined when unknown. */
  identity: (id: string) => Promise<PolicyIdentity | undefined>;
  /** Kratos' public API as this server reaches it: where an unwanted session token is revoked. */
  kratosUrl: string;
  /** Hera's public URL: where a person sets up a second factor in a browser. */
  publicUrl: string;
  fetch: typeof fetch;
  log: (line: Record<string, unknown>) => void;
  now?: () => number;
}

export interface SecondFactorGate {
  /**
   * A native (API flow) sign-in Kratos just completed: undefined when it may
   * stand, else the answer that replaces Kratos' 200 (after the session was
   * revoked, its token never handed out).
   */
  refuseApiSignIn(body: unknown): Promise<Response | undefined>;
  /** A settings flow's JSON as the edge relays it: without enrolment the policy does not offer. */
  settingsView(text: string): Promise<string>;
}

interface SignInAnswer {
  session_token: string;
  session: { authenticator_assurance_level?: unknown; authentication_methods?: unknown; identity?: { id?: unknown } | null };
}

function isSignInAnswer(body: unknown): body is SignInAnswer {
  if (typeof body !== "object" || body === null) return false;
  const answer = body as { session_token?: unknown; session?: unknown };
  return (
    typeof answer.session_token === "string" && answer.session_token !== "" && typeof answer.session === "object" && answer.session !== null
  );
}

/**
 * The MFA policy where Kratos itself cannot apply it: a native app's sign-in
 * (Kratos answers an API login with a session token even at aal1, and with
 * `required_aal: highest_available` an identity without a second factor is
 * at its highest level there) and the settings page's enrolment choices.
 */
export function createSecondFactorGate(options: SecondFactorGateOptions): SecondFactorGate {
  const now = options.now ?? Date.now;
  const enrolUrl = `${options.publicUrl.replace(/\/+$/, "")}/settings`;

  return {
    async refuseApiSignIn(body) {
      if (!isSignInAnswer(body)) return undefined;
      const identityId = body.session.identity?.id;
      // Kratos leaves the identity out when the session is below the level it demands itself: the token is
      // then good for a step-up only (whoami refuses it), which is Kratos' own enforcement.
      if (typeof identityId !== "string" || identityId === "") return undefined;
      const policy = await options.policy();
      if (!policy.required) return undefined;
      const aal = typeof body.session.authenticator_assurance_level === "string" ? body.session.authenticator_assurance_level : "aal1";
      const facts = mfaFactsOf(policy, await options.identity(identityId));
      const methods = methodsOf(body.session.authentication_methods);
      if (secondFactorDecision(facts, { aal, methods }, now()).kind !== "enrol_second_factor") return undefined;
      await revoke(body.session_token);
      options.log({ level: "warn", msg: "kratos edge refused a native sign-in without the required second factor" });
      return aalRequired(enrolUrl);
    },

    async settingsView(text) {
      const hidden = methodsNotOffered(await options.policy());
      if (hidden.length === 0) return text;
      let flow: unknown;
      try {
        flow = JSON.parse(text) as unknown;
      } catch {
        return text;
      }
      const nodes = (flow as { ui?: { nodes?: unknown } } | null)?.ui?.nodes;
      if (!Array.isArray(nodes)) return text;
      return JSON.stringify(withoutEnrolmentOf(flow as { ui: { nodes: { group: string; attributes: object }[] } }, hidden));
    },
  };

  /** Ends the session Kratos created (DELETE /self-service/logout/api, Kratos' own way for a token's holder), so it is never usable. */
  async function revoke(sessionToken: string): Promise<void> {
    try {
      const response = await options.fetch(`${options.kratosUrl.replace(/\/+$/, "")}/self-service/logout/api`, {
        method: "DELETE",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ session_token: sessionToken }),
      });
      await response.body?.cancel();
      if (response.status !== 204)
        options.log({ level: "error", msg: "kratos edge could not revoke a refused session", status: response.status });
    } catch (error) {
      // The token is withheld either way; the session left behind expires with Kratos' session lifespan.
      options.log({ level: "error", msg: "kratos edge could not revoke a refused session", error: (error as Error).message });
    }
  }
}

/** The methods of a session's `authentication_methods` (`[{method: "password"}, …]`). */
function methodsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const method = typeof entry === "object" && entry !== null ? (entry as { method?: unknown }).method : undefined;
    return typeof method === "string" ? [method] : [];
  });
}

/**
 * Kratos' answer for a session that must reach aal2 first
 * (session.ErrAALNotSatisfied, as DoesSessionSatisfy returns it): 403, error
 * id `session_aal2_required`, the browser URL in `details` and at the top
 * level. Kratos points at an `aal=aal2` login; a person without any second
 * factor cannot do that, so it points at Hera's settings, where one is set up.
 */
function aalRequired(redirectTo: string): Response {
  const body = {
    error: {
      id: HIGHER_AAL_REQUIRED,
      code: 403,
      status: "Forbidden",
      message: "The session does not meet the required Authenticator Assurance Level",
      reason:
        "This account must set up a second factor before it can sign in here. Open redirect_browser_to in a browser to set one up, then sign in again.",
      details: { redirect_browser_to: redirectTo },
    },
    redirect_browser_to: redirectTo,
  };
  return new Response(JSON.stringify(body), {
    status: 403,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}
