import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { FlowKind } from "../flow/flow";
import { beforeHookEntries } from "./before-hooks";
import type { ConfiguredHook, Hook, HookArgs } from "./hook";
import { requireVerifiedAddressHook } from "./login-hooks";
import { revokeActiveSessionsHook } from "./revoke-active-sessions";
import { sessionHook, showVerificationUiHook } from "./registration-hooks";
import { webHook } from "./web-hook";

const HOOKS: Hook[] = [sessionHook, showVerificationUiHook, revokeActiveSessionsHook, requireVerifiedAddressHook, webHook];

/** Hook names this server implements; others are reported at start-up and skipped. */
export const KNOWN_HOOKS = new Set([...HOOKS.map((h) => h.name), "verification"]);

/**
 * The hook names configured for `method` in a flow's `after` block, picked as
 * Kratos does: the method's own list when it names any hook, otherwise the
 * flow-wide `after.hooks` (never both merged). `method` undefined = flow-wide
 * only, which is all Kratos reads for recovery and verification.
 */
export function configuredHooks(config: KratosConfig, kind: FlowKind, method: string | undefined): string[] {
  return configuredHookEntries(config, kind, method).map((h) => h.hook);
}

/** configuredHooks with each hook's `config` (and a web hook's parsed config). */
export function configuredHookEntries(config: KratosConfig, kind: FlowKind, method: string | undefined): ConfiguredHook[] {
  const flows = config.selfservice.flows as unknown as Record<string, { after?: Record<string, unknown> }>;
  const after = flows[kind]?.after ?? {};
  const entries = (value: unknown): ConfiguredHook[] => (Array.isArray(value) ? (value as ConfiguredHook[]) : []);
  const perMethod = method === undefined ? undefined : after[method];
  const own = typeof perMethod === "object" && perMethod !== null ? entries((perMethod as { hooks?: unknown }).hooks) : [];
  return own.length > 0 ? own : entries(after.hooks);
}

export async function runAfterHooks(
  deps: Deps,
  kind: FlowKind,
  method: string | undefined,
  phase: "pre" | "post",
  args: HookArgs,
): Promise<void> {
  for (const entry of configuredHookEntries(deps.config, kind, method)) {
    const hook = HOOKS.find((h) => h.name === entry.hook && h.flows.includes(kind));
    await hook?.[phase]?.(deps, args, entry);
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
      for (const h of hooks as { hook: string }[]) {
        if (!KNOWN_HOOKS.has(h.hook)) out.push(`selfservice.flows.${kind}.after.${key === "hooks" ? "" : `${key}.`}hooks: ${h.hook}`);
      }
    }
    // getHooks: no other hook Kratos knows is a Pre…HookExecutor, so only web hooks run before a flow.
    for (const h of beforeHookEntries(config, kind as FlowKind))
      if (h.hook !== "web_hook") out.push(`selfservice.flows.${kind}.before.hooks: ${h.hook}`);
  }
  return out;
}
