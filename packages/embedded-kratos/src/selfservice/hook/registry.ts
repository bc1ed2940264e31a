import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import type { Identity } from "../../identity/identity";
import type { IssuedSession } from "../../session/manager";
import type { Session } from "../../session/session";
import type { ContinueWith, Flow, FlowKind } from "../flow/flow";
import { requireVerifiedAddressHook, revokeActiveSessionsHook } from "./login-hooks";
import { sessionHook, showVerificationUiHook } from "./registration-hooks";

export interface HookArgs {
  ctx: HttpContext;
  flow: Flow;
  identity: Identity;
  session?: Session;
  /** Set by the `session` hook. */
  issued?: IssuedSession;
  /** Set by the registration flow when a verification flow was started. */
  verificationFlow?: { flow: Flow; address: string };
  continueWith?: ContinueWith[];
}

/**
 * A configured `after` hook (selfservice.flows.<kind>.after[.<method>].hooks).
 * `pre` runs before the session is issued/persisted, `post` after.
 */
export interface Hook {
  name: string;
  pre?(deps: Deps, args: HookArgs): Promise<void> | void;
  post?(deps: Deps, args: HookArgs): Promise<void> | void;
}

const HOOKS: Hook[] = [sessionHook, showVerificationUiHook, revokeActiveSessionsHook, requireVerifiedAddressHook];

/** Hook names this server implements; others (e.g. web_hook) are reported at start-up and skipped. */
export const KNOWN_HOOKS = new Set([...HOOKS.map((h) => h.name), "verification"]);

export function configuredHooks(config: KratosConfig, kind: FlowKind, method: string): string[] {
  const flows = config.selfservice.flows as unknown as Record<string, { after?: Record<string, unknown> }>;
  const after = flows[kind]?.after ?? {};
  const perMethod = after[method];
  const list =
    typeof perMethod === "object" && perMethod !== null && Array.isArray((perMethod as { hooks?: unknown }).hooks)
      ? (perMethod as { hooks: { hook: string }[] }).hooks
      : Array.isArray(after.hooks)
        ? (after.hooks as { hook: string }[])
        : [];
  return list.map((h) => h.hook);
}

export async function runAfterHooks(deps: Deps, kind: FlowKind, method: string, phase: "pre" | "post", args: HookArgs): Promise<void> {
  for (const name of configuredHooks(deps.config, kind, method)) {
    const hook = HOOKS.find((h) => h.name === name);
    await hook?.[phase]?.(deps, args);
  }
}

/** Lists configured hooks this server does not implement (logged once at start-up). */
export function unsupportedHooks(config: KratosConfig): string[] {
  const out: string[] = [];
  const flows = config.selfservice.flows as unknown as Record<string, { after?: Record<string, unknown> }>;
  for (const [kind, flow] of Object.entries(flows)) {
    for (const [key, value] of Object.entries(flow.after ?? {})) {
      const hooks = key === "hooks" ? value : (value as { hooks?: unknown } | undefined)?.hooks;
      if (!Array.isArray(hooks)) continue;
      for (const h of hooks as { hook: string }[]) if (!KNOWN_HOOKS.has(h.hook)) out.push(`selfservice.flows.${kind}.after.${key === "hooks" ? "" : `${key}.`}hooks: ${h.hook}`);
    }
  }
  return out;
}
