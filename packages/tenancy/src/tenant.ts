import { z } from "zod";
import { tenantNameProblem } from "./name";
import { MAX_SLOT } from "./ports";
import { parseAppIdleTimeout } from "./embedded/app-idle";

export { DOMAINS, type Domain } from "./domain";
import type { Domain } from "./domain";

export const TARGETS = ["compose", "k8s"] as const;
/** Where a tenant runs: the files the operator runs (compose, k8s), or processes on this host (embedded). */
export const RUNTIMES = [...TARGETS, "embedded"] as const;
export type Runtime = (typeof RUNTIMES)[number];
export type Target = (typeof TARGETS)[number];

// A dotted domain name, or localhost (Caddy serves *.localhost with its local CA: the development parent).
const PARENT_DOMAIN = /^(localhost|(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+)$/;

export const tenantSchema = z.object({
  name: z.string().refine((name) => tenantNameProblem(name) === undefined, { error: "is not a valid tenant name" }),
  /** Always CIAM; IAM optional. */
  domains: z.union([z.tuple([z.literal("ciam")]), z.tuple([z.literal("ciam"), z.literal("iam")])]),
  /** The parent domain: the tenant's hosts are <name>.<parentDomain> and below. */
  parentDomain: z.string().regex(PARENT_DOMAIN, { error: "must be a domain name like example.com" }),
  slot: z.number().int().min(0).max(MAX_SLOT),
  target: z.enum(RUNTIMES),
  /** OLYMPUS_VERSION the tenant runs. */
  version: z.string().min(1),
  createdAt: z.iso.datetime(),
  /** Embedded tenants: how long an app may sit without a connection before it sleeps (embedded/app-idle.ts); the default when absent. */
  appIdleTimeout: z
    .string()
    .refine((value) => parseAppIdleTimeout(value) !== undefined, { error: "must be a duration like 10m, or 0/never" })
    .optional(),
});
export type Tenant = z.infer<typeof tenantSchema>;

/** `--domains ciam` or `--domains ciam,iam` (either order). */
export function parseDomains(value: string): Tenant["domains"] | undefined {
  const parts = [...new Set(value.split(",").map((part) => part.trim().toLowerCase()))].sort();
  if (parts.length === 1 && parts[0] === "ciam") return ["ciam"];
  if (parts.length === 2 && parts[0] === "ciam" && parts[1] === "iam") return ["ciam", "iam"];
  return undefined;
}

export function parseParentDomain(value: string): string | undefined {
  const lower = value.trim().toLowerCase().replace(/\.$/, "");
  return PARENT_DOMAIN.test(lower) ? lower : undefined;
}

export function hasIam(tenant: Pick<Tenant, "domains">): boolean {
  return (tenant.domains as readonly Domain[]).includes("iam");
}

/** The Compose project and Kubernetes namespace of a tenant. */
export function projectName(tenant: Pick<Tenant, "name">): string {
  return `olympus-${tenant.name}`;
}
