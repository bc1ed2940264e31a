import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import type { Identity } from "../../identity/identity";
import type { IssuedSession } from "../../session/manager";
import type { Session } from "../../session/session";
import type { ContinueWith, Flow, FlowKind } from "../flow/flow";
import { requireVerifiedAddressHook } from "./login-hooks";
import { revokeActiveSessionsHook } from "./revoke-active-sessions";
import { sessionHook, showVerificationUiHook } from "./registration-hooks";

export interface HookArgs {
  ctx: HttpContext;
  flow: Flow;
  identity: Identity;
  session?: Session;
  /** The session registration issues (Kratos always creates one; the `session` hook hands it out). */
  issued?: IssuedSession;
  /** Set by the `session` hook: the answer carries the session (and, for native apps, its token). */
  sessionHookRan?: boolean;
  /** Set by `show_verification_ui` for browser navigations: where the sign-up's 303 goes instead of return_to. */
  returnToVerification?: string;
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
  /**
   * The flows Kratos runs this hook in. Kratos silently skips a hook
   * configured for a flow whose executor interface it does not implement
   * (e.g. `session` under settings), and so does this server.
   */
  flows: readonly FlowKind[];
  pre?(deps: Deps, args: HookArgs): Promise<void> | void;
  post?(deps: Deps, args: HookArgs): Promise<void> | void;
}

const HOOKS: Hook[] = [sessionHook, showVerificationUiHook, revokeActiveSessionsHook, requireVerifiedAddressHook];

/** Hook names this server implements; others (e.g. web_hook) are reported at start-up and skipped. */
export const KNOWN_HOOKS = new Set([...HOOKS.map((h) => h.name), "verification"]);

/**
 * The hook names configured for `method` in a flow's `after` block, picked as
 * Kratos does: the method's own list when it names any hook, otherwise the
 * flow-wide `after.hooks` (never both merged). `method` undefined = flow-wide
 * only, which is all Kratos reads for recovery and verification.
 */
export function configuredHooks(config: KratosConfig, kind: FlowKind, method: string | undefined): string[] {
  const flows = config.selfservice.flows as unknown as Record<string, { after?: Record<string, unknown> }>;
  const after = flows[kind]?.after ?? {};
  const names = (value: unknown): string[] => (Array.isArray(value) ? (value as { hook: string }[]).map((h) => h.hook) : []);
  const perMethod = method === undefined ? undefined : after[method];
  const own = typeof perMethod === "object" && perMethod !== null ? names((perMethod as { hooks?: unknown }).hooks) : [];
  return own.length > 0 ? own : names(after.hooks);
}

export async function runAfterHooks(deps: Deps, kind: FlowKind, method: string | undefined, phase: "pre" | "post", args: HookArgs): Promise<void> {
  for (const name of configuredHooks(deps.config, kind, method)) {
    const hook = HOOKS.find((h) => h.name === name && h.flows.includes(kind));
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
