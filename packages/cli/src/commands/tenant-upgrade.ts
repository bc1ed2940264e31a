import { findTenant, readRegistry, type Tenant } from "@olympus/tenancy";
import type { Command } from "../command";
import { configError, usageError } from "../errors";
import { composeArgs, ROOT_HELP, tenantDirectory, tenantsRoot, type TenantDependencies } from "./tenant-support";

type Outcome = "upgraded" | "failed" | "not attempted" | "skipped";

export function tenantUpgradeCommand(deps: TenantDependencies): Command {
  return {
    name: "tenant upgrade",
    summary: "pull and restart one tenant or all, stopping at the first failure",
    usage: "olympus tenant upgrade <name>|--all [--root <dir>]",
    help: [
      "Options:",
      "  --all          every Compose tenant, in name order",
      ROOT_HELP,
      "",
      "For each tenant: docker compose -p olympus-<name> -f <dir>/compose.yml --env-file <dir>/.env pull, then … up -d.",
      "The first failing tenant stops the run; the ones after it are reported as not attempted.",
      "Kubernetes tenants are skipped: apply their regenerated manifests with kubectl.",
    ].join("\n"),
    options: { all: { type: "boolean" }, root: { type: "string" } },
    positionals: { min: 0, max: 1 },
    async run({ args, options, env, cwd, out }) {
      const root = tenantsRoot(options, env, cwd);
      const all = options.all === true;
      if (all === (args.length === 1)) throw usageError("name one tenant or pass --all");
      let registry;
      try {
        registry = await readRegistry(root);
      } catch (error) {
        throw configError(error instanceof Error ? error.message : String(error));
      }
      let tenants: Tenant[];
      if (all) tenants = registry.tenants;
      else {
        const tenant = findTenant(registry, args[0] ?? "");
        if (!tenant) throw usageError(`no tenant named "${args[0] ?? ""}"; olympus tenant list shows them`);
        tenants = [tenant];
      }
      const results: { name: string; outcome: Outcome; detail: string }[] = [];
      let stopped = false;
      for (const [index, tenant] of tenants.entries()) {
        if (stopped) {
          results.push({ name: tenant.name, outcome: "not attempted", detail: "an earlier tenant failed" });
          continue;
        }
        if (tenant.target !== "compose") {
          const detail =
            tenant.target === "k8s"
              ? "Kubernetes tenant: kubectl apply its manifests"
              : "embedded tenant: build the apps once, then olympus tenant stop and start it";
          results.push({ name: tenant.name, outcome: "skipped", detail });
          continue;
        }
        out.progress(`[${index + 1}/${tenants.length}] ${tenant.name}: pulling images`);
        let failure: string | undefined;
        for (const step of [["pull"], ["up", "-d"]]) {
          if (step[0] === "up") out.progress(`[${index + 1}/${tenants.length}] ${tenant.name}: restarting`);
          const code = await deps.runner("docker", composeArgs(root, tenant, ...step), { cwd: tenantDirectory(root, tenant) });
          if (code !== 0) {
            failure = `docker compose ${step.join(" ")} exited with ${code}`;
            break;
          }
        }
        results.push({ name: tenant.name, outcome: failure ? "failed" : "upgraded", detail: failure ?? "pulled and restarted" });
        if (failure) stopped = true;
      }
      return {
        ok: !stopped,
        data: { tenants: results },
        lines: results.map((r) => `${r.name}: ${r.outcome}${r.outcome === "upgraded" ? "" : ` (${r.detail})`}`),
      };
    },
  };
}
