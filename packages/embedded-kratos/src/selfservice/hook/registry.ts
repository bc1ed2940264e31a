import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { FlowKind } from "../flow/flow";
import type { Hook, HookArgs } from "./hook";
import { requireVerifiedAddressHook } from "./login-hooks";
import { revokeActiveSessionsHook } from "./revoke-active-sessions";
import { sessionHook, showVerificationUiHook } from "./registration-hooks";

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

export async function runAfterHooks(
  deps: Deps,
  kind: FlowKind,
  method: string | undefined,
  phase: "pre" | "post",
  args: HookArgs,
): Promise<void> {
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
      for (const h of hooks as { hook: string }[])
        if (!KNOWN_HOOKS.has(h.hook)) out.push(`selfservice.flows.${kind}.after.${key === "hooks" ? "" : `${key}.`}hooks: ${h.hook}`);
    }
  }
  return out;
}
