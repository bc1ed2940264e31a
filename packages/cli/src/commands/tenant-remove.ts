import { rm } from "node:fs/promises";
import { findTenant, projectName, readRegistry, stopEmbeddedTenant, withoutTenant, writeRegistry } from "@olympus/tenancy";
import type { Command } from "../command";
import { CliError, configError, usageError } from "../errors";
import { composeArgs, ROOT_HELP, tenantDirectory, tenantsRoot, type TenantDependencies } from "./tenant-support";

export function tenantRemoveCommand(deps: TenantDependencies): Command {
  return {
    name: "tenant remove",
    summary: "stop a tenant and take it off the registry, keeping its database unless --delete-data",
    usage: "olympus tenant remove <name> [--yes] [--delete-data] [--root <dir>]",
    help: [
      "Options:",
      "  --yes           do not ask for the name to be typed (required with --json or without a terminal)",
      "  --delete-data   also delete its database volume and its directory (secrets included); without it both are kept,",
      "                  so the data and the passwords that open it survive",
      ROOT_HELP,
      "",
      "Compose: docker compose … down (with -v under --delete-data). Kubernetes: only the registry entry is removed;",
      "delete the namespace yourself (kubectl delete namespace olympus-<name>), which deletes its volumes.",
    ].join("\n"),
    options: { yes: { type: "boolean" }, "delete-data": { type: "boolean" }, root: { type: "string" } },
    positionals: { min: 1, max: 1 },
    async run({ args, options, env, cwd, out }) {
      const name = args[0] ?? "";
      const root = tenantsRoot(options, env, cwd);
      let registry;
      try {
        registry = await readRegistry(root);
      } catch (error) {
        throw configError(error instanceof Error ? error.message : String(error));
      }
      const tenant = findTenant(registry, name);
      if (!tenant) throw usageError(`no tenant named "${name}"; olympus tenant list shows them`);
      const deleteData = options["delete-data"] === true;
      if (options.yes !== true) {
        if (out.json) throw usageError("pass --yes to remove a tenant with --json");
        const answer = await deps.prompt(
          `Remove tenant ${name}${deleteData ? " AND DELETE ITS DATA" : " (its database is kept)"}? Type its name to confirm: `,
        );
        if (answer === undefined) throw usageError("no terminal to confirm on; pass --yes");
        if (answer.trim() !== name) throw new CliError("failed", [`"${answer.trim()}" is not "${name}"; nothing removed`]);
      }
      const directory = tenantDirectory(root, tenant);
      if (tenant.target === "compose") {
        out.progress(`stopping ${projectName(tenant)}`);
        const code = await deps.runner("docker", composeArgs(root, tenant, "down", ...(deleteData ? ["-v"] : [])), { cwd: directory });
        if (code !== 0) throw new CliError("failed", [`docker compose down exited with ${code}; ${name} is still registered`]);
      }
      if (tenant.target === "embedded") {
        out.progress(`stopping ${name}'s processes`);
        await stopEmbeddedTenant(root, name);
      }
      await writeRegistry(root, withoutTenant(registry, name));
      if (deleteData) await rm(directory, { recursive: true, force: true });
      const kept =
        tenant.target === "k8s"
          ? [`Delete its namespace: kubectl delete namespace ${projectName(tenant)}`]
          : deleteData
            ? []
            : tenant.target === "embedded"
              ? [`Kept: ${directory} (its Postgres data under data/, and the .env that opens it)`]
              : [`Kept: the volume ${projectName(tenant)}_postgres-data and ${directory} (its .env opens it)`];
      return { ok: true, data: { removed: name, dataDeleted: deleteData, directory }, lines: [`Tenant ${name} removed`, ...kept] };
    },
  };
}
