import { randomUUID } from "node:crypto";
import type { AuthenticatorAssuranceLevel } from "../../identity/identity";
import { UiContainer, type UiContainerJson } from "../../ui/container";

export type FlowKind = "login" | "registration" | "settings" | "recovery" | "verification";
export type FlowType = "browser" | "api";

/** Items of `continue_with` (selfservice/flow/continue_with.go). */
export type ContinueWith =
  | { action: "show_verification_ui"; flow: { id: string; verifiable_address: string; url?: string } }
  | { action: "show_settings_ui"; flow: { id: string; url?: string } }
  | { action: "show_recovery_ui"; flow: { id: string; url?: string } }
  | { action: "set_ory_session_token"; ory_session_token: string }
  | { action: "redirect_browser_to"; redirect_browser_to: string };

/** A self-service flow of any kind; each kind's folder renders its own JSON. */
export interface Flow {
  id: string;
  kind: FlowKind;
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
  requestedAal: AuthenticatorAssuranceLevel | undefined;
  refresh: boolean;
  /** Strategy-private state, never rendered (e.g. codes sent, traits of a two-step registration). */
  internal: Record<string, unknown>;
  /** Rendered extras (oauth2_login_challenge, identity_schema, continue_with of recovery/settings, ...). */
  extra: Record<string, unknown>;
  issuedAt: Date;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export function newFlow(init: {
  kind: FlowKind;
  type: FlowType;
  state: string;
  publicBaseUrl: string;
  requestUrl: string;
  returnTo?: string;
  lifespanMs: number;
  csrfToken: string;
}): Flow {
  const id = randomUUID();
  const now = new Date();
  return {
    id,
    kind: init.kind,
    type: init.type,
    state: init.state,
    ui: new UiContainer(flowActionUrl(init.publicBaseUrl, init.kind, id)),
    requestUrl: init.requestUrl,
    returnTo: init.returnTo,
    active: undefined,
    csrfToken: init.csrfToken,
    identityId: undefined,
    sessionId: undefined,
    requestedAal: undefined,
    refresh: false,
    internal: {},
    extra: {},
    issuedAt: now,
    expiresAt: new Date(now.getTime() + init.lifespanMs),
    createdAt: now,
    updatedAt: now,
  };
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
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
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
