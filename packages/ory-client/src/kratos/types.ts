import type { LoginFlow, RecoveryFlow, RegistrationFlow, SettingsFlow, VerificationFlow } from "@ory/client";

export type { FlowError, Identity, LoginFlow, RecoveryFlow, RegistrationFlow, Session, SettingsFlow, VerificationFlow } from "@ory/client";

/** Kratos' self-service flows, named as in its URLs (`/self-service/<kind>/browser`). */
export const FLOW_KINDS = ["login", "registration", "recovery", "verification", "settings"] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

export function isFlowKind(value: unknown): value is FlowKind {
  return typeof value === "string" && (FLOW_KINDS as readonly string[]).includes(value);
}

export interface FlowByKind {
  login: LoginFlow;
  registration: RegistrationFlow;
  recovery: RecoveryFlow;
  verification: VerificationFlow;
  settings: SettingsFlow;
}

/** Query parameters Kratos accepts when a browser flow is created. */
export interface CreateFlowParams {
  returnTo?: string;
  /** login: re-authenticate although a session exists. */
  refresh?: boolean;
  /** login: the assurance level to reach (aal2 = second factor). */
  aal?: "aal1" | "aal2";
  /** login/registration: a Hydra login challenge Kratos should know about. */
  loginChallenge?: string;
  /** registration: where the verification flow the sign-up starts continues to (its return_to). */
  afterVerificationReturnTo?: string;
}

/**
 * What fetching or creating a flow can lead to. Everything a page must act
 * on is a variant here; anything else is an OryError.
 */
export type FlowResult<K extends FlowKind> =
  /** The flow to render; `setCookie` must reach the browser (CSRF cookie). */
  | { status: "ok"; flow: FlowByKind[K]; setCookie: string[] }
  /** The flow is gone, expired, replaced or its CSRF cookie is missing: start a new one. */
  | { status: "restart"; reason: "expired" | "not_found" | "csrf" | "replaced"; returnTo: string | undefined }
  /** Login/registration while signed in: send the browser on to return_to. */
  | { status: "session_already_available" }
  /** Settings without a session: sign in first. */
  | { status: "login_required" }
  /** Kratos wants the browser elsewhere (second factor, re-authentication, OIDC). */
  | { status: "redirect"; to: string; reason: string }
  /** The flow is switched off in this domain's Kratos (IAM registration). */
  | { status: "disabled" };

/** The result of asking Kratos who the browser is. */
export type SessionResult =
  | { status: "active"; session: import("@ory/client").Session }
  | { status: "none" }
  /** Signed in, but the second factor is still missing (whoami requires the highest available AAL). */
  | { status: "aal2_required"; redirectTo: string | undefined };
