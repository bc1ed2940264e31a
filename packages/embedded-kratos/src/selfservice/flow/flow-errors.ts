import type { Deps } from "../../deps";
import { minutesText, since } from "../../clock/go-duration";
import { KratosError } from "../../http/errors";
import type { FlowKind, FlowType } from "./flow";

/**
 * The herodot errors Kratos' self-service handlers answer with, word for
 * word (selfservice/flow/<kind>/error.go, handler.go, x/nosurfx, session).
 * Where Kratos builds an error from herodot's defaults (no `id`, the default
 * `message`), these do too: clients branch on these fields.
 */
export const flowErrors = {
  /** flow.GetFlowID: `?flow=` missing or not a UUID. */
  flowIdMalformed: () => new KratosError(400, { reason: "The flow query parameter is missing or malformed." }),

  /** A flow id that names no flow: sqlcon.ErrNoRows for login and registration, a named 404 for the others. */
  flowNotFound: (kind: FlowKind) =>
    kind === "login" || kind === "registration"
      ? new KratosError(404, { message: "Unable to locate the resource" })
      : new KratosError(404, { reason: `The ${kind} request could not be found. Please restart the flow.` }),

  /** GET /self-service/<kind>/flows?id= of an expired flow (each handler's get<Kind>Flow). */
  expiredOnFetch: (deps: Deps, kind: FlowKind, type: FlowType, returnTo: string | undefined, expiresAt: Date): KratosError => {
    const base = deps.config.publicBaseUrl;
    if (type === "browser") {
      const redirectTo = new URL(`${base}self-service/${kind}/browser`);
      if (returnTo) redirectTo.searchParams.set("return_to", returnTo);
      return new KratosError(410, {
        // Kratos' settings handler alone leaves the id out.
        ...(kind === "settings" ? {} : { id: "self_service_flow_expired" }),
        reason: `The ${kind} flow has expired. Redirect the user to the ${kind} flow init endpoint to initialize a new ${kind} flow.`,
        details: { redirect_to: redirectTo.toString(), return_to: returnTo ?? "" },
      });
    }
    const api = `${base}self-service/${kind}/api`;
    if (kind === "recovery") {
      // recovery.Handler.getRecoveryFlow adds the detail to NewFlowExpiredError, which keeps only the herodot part.
      return new KratosError(410, {
        id: "self_service_flow_expired",
        message: "self-service flow expired",
        reason: `The self-service flow expired ${minutesText(since(expiresAt))} minutes ago, initialize a new one.`,
        details: { api },
      });
    }
    return new KratosError(410, {
      ...(kind === "settings" ? {} : { id: "self_service_flow_expired" }),
      reason: `The ${kind} flow has expired. Call the ${kind} flow init API endpoint to initialize a new ${kind} flow.`,
      details: { api },
    });
  },

  /** ErrAlreadyLoggedIn of each flow package. */
  alreadyLoggedIn: (kind: "login" | "registration" | "recovery") => {
    if (kind === "recovery") {
      return new KratosError(400, {
        id: "session_already_available",
        reason: "A valid session was detected and thus recovery is not possible.",
      });
    }
    return new KratosError(400, {
      id: "session_already_available",
      message: "you are already logged in",
      reason:
        kind === "login"
          ? "A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?"
          : "A valid session was detected and thus registration is not possible.",
    });
  },

  /** login.ErrSessionRequiredForHigherAAL. */
  sessionRequiredForHigherAal: () =>
    new KratosError(401, {
      id: "session_aal1_required",
      message: "aal2 and aal3 can only be requested if a session exists already",
      reason: "You can not requested a higher AAL (AAL2/AAL3) without an active session.",
    }),

  /** session.ErrIdentityDisabled, raised by ActivateSession for any identity that is not active. */
  identityDisabled: (identityId: string) =>
    new KratosError(401, { message: "identity is disabled", reason: "This account was disabled.", details: { identity_id: identityId } }),

  /** login.NewLoginFlow: an `aal` other than aal1/aal2. */
  unknownAal: (value: string) =>
    new KratosError(400, {
      reason: `Unable to parse AuthenticationMethod Assurance Level (AAL): expected one of [aal1, aal2] but got ${value}`,
    }),

  /** Recovery and verification init/get while the flow is disabled. */
  addressFlowDisabled: (kind: "recovery" | "verification") =>
    new KratosError(400, { reason: `${kind === "recovery" ? "Recovery" : "Verification"} is not allowed because it was disabled.` }),

  /** settings: the session's identity is not the flow's. */
  identityMismatch: () =>
    new KratosError(403, {
      id: "security_identity_mismatch",
      reason: "The request was made for another identity and has been blocked for security reasons.",
    }),

  /** settings.OnUnauthenticated for JSON clients (get and submit without a session). */
  settingsUnauthenticated: () => new KratosError(401, { reason: "A valid Ory Session Cookie or Ory Session Token is missing." }),

  /** session.Handler.IsAuthenticated without a fallback (native settings init). */
  sessionRequired: () =>
    new KratosError(401, {
      id: "session_inactive",
      message: "request does not have a valid authentication session",
      reason: "This endpoint can only be accessed with a valid session. Please log in and try again.",
    }),

  /** settings.NewFlowNeedsReAuth, with the login that refreshes the session. */
  needsReAuth: (redirectTo: string) =>
    new KratosError(403, {
      id: "session_refresh_required",
      reason: "The login session is too old and thus not allowed to update these fields. Please re-authenticate.",
    }).withExtra({ redirect_browser_to: redirectTo }),

  /** flow.EnsureCSRF for API flows: a browser (Origin or cookies) submitted a native flow. */
  apiFlowFromBrowser: (cause: "origin" | { cookies: string[] }) =>
    cause === "origin"
      ? new KratosError(400, {
          reason:
            'The HTTP Request Header included the "Origin" key, indicating that this request was made as part of an AJAX request in a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.',
        })
      : new KratosError(400, {
          reason:
            'The HTTP Request Header included the "Cookie" key, indicating that this request was made by a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.',
          details: { "found cookies": cause.cookies },
        }),
};
