import "server-only";
import { settingsStore } from "@/shared/server/olympus-db";
import { athenaConfig } from "@/shared/server/config";

/**
 * Which scopes a machine client may be given, and the longest token it may
 * hold. Per domain; an admin can narrow or widen the allow-list in Settings
 * (`m2m.allowed_scopes`, space-separated; `m2m.max_token_lifetime_minutes`).
 */
const DEFAULT_SCOPES = { ciam: ["orders:read", "orders:write", "customers:read"], iam: ["directory:read", "audit:read"] } as const;
export const M2M_LIFETIME_CAP_MINUTES = 60;

export interface M2MPolicy {
  allowedScopes: readonly string[];
  maxTokenLifetimeMinutes: number;
}

export async function m2mPolicy(): Promise<M2MPolicy> {
  const { domain } = athenaConfig();
  let scopes: string[] = [...DEFAULT_SCOPES[domain]];
  let max = M2M_LIFETIME_CAP_MINUTES;
  try {
    const store = await settingsStore();
    const configured = await store.get("m2m.allowed_scopes");
    if (configured?.trim()) scopes = configured.trim().split(/\s+/);
    const lifetime = Number(await store.get("m2m.max_token_lifetime_minutes"));
    if (Number.isInteger(lifetime) && lifetime > 0) max = Math.min(lifetime, 24 * 60);
  } catch {
    // The defaults stand when the settings database is unreachable.
  }
  return { allowedScopes: scopes, maxTokenLifetimeMinutes: max };
}
