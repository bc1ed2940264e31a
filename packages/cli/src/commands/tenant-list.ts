import { blockPorts, findTenant, portBlock, readRegistry, type Tenant } from "@olympus/tenancy";
import type { Command } from "../command";
import { configError, usageError } from "../errors";
import { checkTenant, ROOT_HELP, tenantsRoot, type TenantDependencies } from "./tenant-support";

async function registryAt(root: string) {
  try {
    return await readRegistry(root);
  } catch (error) {
    throw configError(error instanceof Error ? error.message : String(error));
  }
}

function portsSummary(tenant: Tenant): string {
  const ports = blockPorts(portBlock(tenant.slot));
  return `${ports[0]}-${(ports[0] ?? 0) + 99}`;
}

export function tenantListCommand(deps: TenantDependencies): Command {
  return {
    name: "tenant list",
    summary: "list every tenant with its domains, port block, health and version",
    usage: "olympus tenant list [--root <dir>]",
    help: [
      "Options:",
      ROOT_HELP,
      "",
      "Health asks each Compose tenant's Hera, Athena, Kratos and Hydra readiness URLs on 127.0.0.1 at its ports:",
      'healthy (all ready), degraded (some not), unreachable (none answered). Kubernetes tenants: "not checked".',
      "An embedded tenant's app that sleeps (idle) counts as ready and is not asked: asking would wake it.",
    ].join("\n"),
    options: { root: { type: "string" } },
    positionals: { min: 0, max: 0 },
    async run({ options, env, cwd }) {
      const root = tenantsRoot(options, env, cwd);
      const registry = await registryAt(root);
      const rows = await Promise.all(
        registry.tenants.map(async (tenant) => ({
          name: tenant.name,
          domains: tenant.domains,
          target: tenant.target,
          ports: portBlock(tenant.slot),
          health: (await checkTenant(tenant, deps.fetch, root)).health,
          version: tenant.version,
        })),
      );
      const header = ["NAME", "DOMAINS", "TARGET", "PORTS", "HEALTH", "VERSION"];
      const table = [
        header,
        ...rows.map((r, i) => [r.name, r.domains.join(","), r.target, portsSummary(registry.tenants[i] as Tenant), r.health, r.version]),
      ];
      const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? "").length)));
      return {
        ok: true,
        data: { tenants: rows },
        lines:
          rows.length === 0
            ? ["No tenants yet: olympus tenant create <name>"]
            : table.map((row) =>
                row
                  .map((cell, c) => cell.padEnd(widths[c] ?? 0))
                  .join("  ")
                  .trimEnd(),
              ),
      };
    },
  };
}

export function tenantStatusCommand(deps: TenantDependencies): Command {
  return {
    name: "tenant status",
    summary: "show one tenant's services, each with its readiness answer",
    usage: "olympus tenant status <name> [--root <dir>]",
    help: ["Options:", ROOT_HELP, "", "Exit code 1 unless every service is ready."].join("\n"),
    options: { root: { type: "string" } },
    positionals: { min: 1, max: 1 },
    async run({ args, options, env, cwd }) {
      const name = args[0] ?? "";
      const root = tenantsRoot(options, env, cwd);
      const tenant = findTenant(await registryAt(root), name);
      if (!tenant) throw usageError(`no tenant named "${name}"; olympus tenant list shows them`);
      const { health, services } = await checkTenant(tenant, deps.fetch, root);
      return {
        ok: health === "healthy" || health === "not checked",
        data: { tenant: { ...tenant, ports: portBlock(tenant.slot) }, health, services },
        lines: [
          `${tenant.name} (${tenant.domains.join(", ")}, ${tenant.target}, version ${tenant.version}, ports ${portsSummary(tenant)}): ${health}`,
          ...services.map((s) => `  ${s.up ? "ok  " : "DOWN"} ${s.service.padEnd(12)} ${s.url}  ${s.detail}`),
        ],
      };
    },
  };
}
