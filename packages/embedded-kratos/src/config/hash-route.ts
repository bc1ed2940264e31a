import { createHash } from "node:crypto";
import type { Deps } from "../deps";
import type { Router } from "../http/router";
import { ADMIN_PREFIX } from "../http/mux-path";

/** JSON with every object's keys sorted, as Go's encoding/json writes koanf's maps: one text per value, whatever the keys' order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined && typeof item !== "function")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * driver/config/handler.go RegisterConfigHashRoute (admin router only):
 * `text/plain`, the config's `revision` when set, else the SHA-256 hex of
 * the loaded configuration's JSON. Kratos hashes koanf's JSON of its own
 * loader's view (every default it fills in); here it is the canonical JSON
 * of this server's loaded config, which changes when the config does.
 */
export function registerConfigHashRoute(router: Router, deps: Pick<Deps, "config">): void {
  router.get(`${ADMIN_PREFIX}/health/config`, (ctx) => {
    const revision = deps.config.revision;
    const body = revision ? revision : createHash("sha256").update(canonicalJson(deps.config)).digest("hex");
    ctx.text(200, body, "text/plain");
  });
}
