import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { OAuth2LoginRequest } from "../../hydra/hydra";
import type { AuthenticatorAssuranceLevel } from "../../identity/identity";
import { UiContainer, type UiContainerJson } from "../../ui/container";
import { now as timeNow } from "../../clock/clock";
import { goTimeString } from "../../clock/go-time";

export type FlowKind = "login" | "registration" | "settings" | "recovery" | "verification";
export type FlowType = "browser" | "api";

/** Items of `continue_with` (selfservice/flow/continue_with.go). */
export type ContinueWith =
  | { action: "show_verification_ui"; flow: { id: string; verifiable_address: string; url?: string } }
  | { action: "show_settings_ui"; flow: { id: string; url?: string } }
  | { action: "show_recovery_ui"; flow: { id: string; url?: string } }
  | { action: "set_ory_session_token"; ory_session_token: string }
  | { action: "redirect_browser_to"; redirect_browser_to: string };

/** flow.NewContinueWithRecoveryUI: the recovery flow's id only (no URL). */
export function showRecoveryUi(flow: { id: string }): ContinueWith {
  return { action: "show_recovery_ui", flow: { id: flow.id } };
}

/** What every flow kind has; the kind's own fields are in its interface below. */
export interface FlowFields {
  id: string;
  type: FlowType;
  state: string;
  ui: UiContainer;
  requestUrl: string;
  returnTo: string | undefined;
  /** The method that last handled the flow (`password`, `profile`, `code`, ...). */
  active: string | undefined;
  /** Masked CSRF token bound to the browser's CSRF cookie (browser flows only). */
  csrfToken: string;
  identityId: string | undefined;
  sessionId: string | undefined;
  /**
   * Strategy-private state, never rendered — one key per strategy id, like
   * Kratos' internal_context. Strategies read theirs through a schema
   * (`readStrategyState`), since it comes back from the database.
   */
  internal: Record<string, unknown>;
  issuedAt: Date;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface LoginFlow extends FlowFields {
  kind: "login";
  requestedAal: AuthenticatorAssuranceLevel | undefined;
  refresh: boolean;
  /** Rendered as `oauth2_login_challenge`. */
  oauth2LoginChallenge: string | undefined;
  /** Rendered as `oauth2_login_request`: Hydra's login request, looked up for one answer (Kratos' HydraLoginRequest, never stored). */
  oauth2LoginRequest?: OAuth2LoginRequest;
  /** Rendered as `identity_schema`: the schema `?identity_schema=` named at the start (labels the identifier). */
  identitySchema: string | undefined;
}

export interface RegistrationFlow extends FlowFields {
  kind: "registration";
  /** Rendered as `identity_schema`: the schema `?identity_schema=` named at the start. */
  identitySchema: string | undefined;
  /** Rendered as `oauth2_login_challenge`. */
  oauth2LoginChallenge: string | undefined;
  /** Rendered as `oauth2_login_request`: Hydra's login request, looked up for one answer (never stored). */
  oauth2LoginRequest?: OAuth2LoginRequest;
}

export interface SettingsFlow extends FlowFields {
  kind: "settings";
  /** The identity schema's trait paths, in schema order: how the profile's nodes are sorted. Never rendered. */
  schemaKeys: string[];
  /** Rendered as `continue_with` once a submission produced some. */
  continueWith: ContinueWith[] | undefined;
}

export interface RecoveryFlow extends FlowFields {
  kind: "recovery";
  /** Made by the admin API and opened in a browser that never saw it: Kratos' DangerousSkipCSRFCheck. Never rendered. */
  skipCsrfCheck: boolean;
}

export interface VerificationFlow extends FlowFields {
  kind: "verification";
}

/** Recovery and verification share their strategies' code. */
export type AddressFlow = RecoveryFlow | VerificationFlow;

/** A self-service flow; `kind` tells which, and each kind's folder renders its own JSON. */
export type Flow = LoginFlow | RegistrationFlow | SettingsFlow | RecoveryFlow | VerificationFlow;
export type FlowOf<K extends FlowKind> = Extract<Flow, { kind: K }>;

export function isFlowOf<K extends FlowKind>(flow: Flow, kind: K): flow is FlowOf<K> {
  return flow.kind === kind;
}

/** The fields of a new flow of any kind (its definition adds the kind's own). */
export function newFlowFields(init: {
  kind: FlowKind;
  type: FlowType;
  state: string;
  publicBaseUrl: string;
  requestUrl: string;
  returnTo?: string;
  lifespanMs: number;
  csrfToken: string;
}): FlowFields {
  const id = randomUUID();
  // login/flow.go NewFlow: issued_at is time.Now().UTC(), answered with its nanoseconds until re-read;
  // created_at and updated_at are pop's microsecond stamp, set when the flow is first saved.
  const now = timeNow();
  const stamp = now.truncateMicroseconds();
  return {
    id,
    type: init.type,
    state: init.state,
    ui: new UiContainer(flowActionUrl(init.publicBaseUrl, init.kind, id)),
    requestUrl: init.requestUrl,
    returnTo: init.returnTo,
    active: undefined,
    csrfToken: init.csrfToken,
    identityId: undefined,
    sessionId: undefined,
    internal: {},
    issuedAt: now,
    expiresAt: now.add(init.lifespanMs),
    createdAt: stamp,
    updatedAt: stamp,
  };
}

/** A strategy's private state in the flow, or undefined when absent or not of the strategy's shape. */
export function readStrategyState<T>(flow: Flow, strategyId: string, schema: z.ZodType<T>): T | undefined {
  const parsed = schema.safeParse(flow.internal[strategyId]);
  return parsed.success ? parsed.data : undefined;
}

/** Replaces a strategy's private state in the flow (undefined removes it). */
export function writeStrategyState<T>(flow: Flow, strategyId: string, state: T | undefined): void {
  const { [strategyId]: _previous, ...others } = flow.internal;
  flow.internal = state === undefined ? others : { ...others, [strategyId]: state };
}

export function flowActionUrl(publicBaseUrl: string, kind: FlowKind, id: string): string {
  return `${publicBaseUrl}self-service/${kind}?flow=${id}`;
}

export function isExpired(flow: Flow, now = Date.now()): boolean {
  return flow.expiresAt.getTime() <= now;
}

/** Fields every flow kind renders, in Kratos' order. */
export function baseFlowJson(flow: Flow): Record<string, unknown> {
  return {
    id: flow.id,
    type: flow.type,
    expires_at: goTimeString(flow.expiresAt),
    issued_at: goTimeString(flow.issuedAt),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui: flow.ui.toJSON() satisfies UiContainerJson,
  };
}

/** Appends `?flow=<id>` to a UI URL (keeping its own query). */
export function urlWithFlow(uiUrl: string, flowId: string): string {
  const url = new URL(uiUrl);
  url.searchParams.set("flow", flowId);
  return url.toString();
}
