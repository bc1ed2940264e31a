import { mkdir } from "node:fs/promises";
import {
  checkControlPlaneToken,
  CONTROL_PLANE_FILE,
  CONTROL_PLANE_TOKEN_VARIABLE,
  ControlPlaneError,
  findTenant,
  initControlPlane,
  listTenantAdmins,
  readRegistry,
} from "@olympus/tenancy";
import type { Command } from "../command";
import { CliError, configError, usageError } from "../errors";
import type { Env } from "../env";
import { checkTenant, defaultTenantDependencies, ROOT_HELP, tenantsRoot, type TenantDependencies } from "./tenant-support";

const AUTH_HELP = `Every command but init needs ${CONTROL_PLANE_TOKEN_VARIABLE}: the operator token control-plane init printed.`;

/** The control plane's own login: its token opens these commands, and no tenant accepts it. */
async function authenticate(root: string, env: Env): Promise<void> {
  const outcome = await checkControlPlaneToken(root, env[CONTROL_PLANE_TOKEN_VARIABLE]);
  if (outcome === "ok") return;
  if (outcome === "not initialised") throw configError(`no control plane in ${root}: olympus control-plane init creates it`);
  throw new CliError("unauthorized", [
    outcome === "no token"
      ? `set ${CONTROL_PLANE_TOKEN_VARIABLE} to the control plane's operator token`
      : "the control plane token is wrong",
  ]);
}

async function registry(root: string) {
  return readRegistry(root).catch((error: unknown) => {
    throw configError(error instanceof Error ? error.message : String(error));
  });
}

export function createControlPlaneCommands(deps: TenantDependencies = defaultTenantDependencies): Command[] {
  const init: Command = {
    name: "control-plane init",
    summary: "create (or with --rotate replace) the control plane's operator token; printed once, stored as a hash",
    usage: "olympus control-plane init [--rotate] [--root <dir>]",
    help: ["Options:", "  --rotate       replace an existing token (the old one stops working)", ROOT_HELP].join("\n"),
    options: { rotate: { type: "boolean" }, root: { type: "string" } },
    positionals: { min: 0, max: 0 },
    async run({ options, env, cwd }) {
      const root = tenantsRoot(options, env, cwd);
      if ((await checkControlPlaneToken(root, undefined)) !== "not initialised" && options.rotate !== true)
        throw usageError(`${root}/${CONTROL_PLANE_FILE} exists; pass --rotate to replace its token`);
      await mkdir(root, { recursive: true });
      const token = await initControlPlane(root);
      return {
        ok: true,
        data: { token },
        lines: [`Control plane token (shown once; keep it like a password):`, `  ${CONTROL_PLANE_TOKEN_VARIABLE}=${token}`],
      };
    },
  };

  const tenants: Command = {
    name: "control-plane tenants",
    summary: "every tenant with its health and version",
    usage: "olympus control-plane tenants [--root <dir>]",
    help: ["Options:", ROOT_HELP, "", AUTH_HELP].join("\n"),
    options: { root: { type: "string" } },
    positionals: { min: 0, max: 0 },
    async run({ options, env, cwd }) {
      const root = tenantsRoot(options, env, cwd);
      await authenticate(root, env);
      const rows = await Promise.all(
        (await registry(root)).tenants.map(async (tenant) => ({
          name: tenant.name,
          target: tenant.target,
          version: tenant.version,
          health: (await checkTenant(tenant, deps.fetch, root)).health,
        })),
      );
      return {
        ok: true,
        data: { tenants: rows },
        lines:
          rows.length === 0
            ? ["No tenants"]
            : rows.map((r) => `${r.name.padEnd(20)} ${r.target.padEnd(9)} ${r.version.padEnd(8)} ${r.health}`),
      };
    },
  };

  const admins: Command = {
    name: "control-plane admins",
    summary: "a tenant's Athena admins, asked with that tenant's own machine credentials",
    usage: "olympus control-plane admins <tenant> [--root <dir>]",
    help: [
      "Options:",
      ROOT_HELP,
      "",
      AUTH_HELP,
      "Gets a client_credentials token (scope olympus.admins.read, at most 5 minutes) from the tenant's own IAM Hydra with",
      "the client created for it at tenant creation (secret in its .env only), then calls its Athena IAM's GET /api/machine/admins.",
    ].join("\n"),
    options: { root: { type: "string" } },
    positionals: { min: 1, max: 1 },
    async run({ args, options, env, cwd }) {
      const root = tenantsRoot(options, env, cwd);
      await authenticate(root, env);
      const tenant = findTenant(await registry(root), args[0] ?? "");
      if (!tenant) throw usageError(`no tenant named "${args[0] ?? ""}"`);
      try {
        const list = await listTenantAdmins(root, tenant, deps.fetch);
        return {
          ok: true,
          data: { tenant: tenant.name, admins: list },
          lines:
            list.length === 0
              ? [`${tenant.name}: no admins yet`]
              : list.map((a) => `${a.role.padEnd(7)} ${a.email ?? "(no email)"}  ${a.id}`),
        };
      } catch (error) {
        if (error instanceof ControlPlaneError) throw new CliError("failed", [error.message]);
        throw new CliError("unreachable", [`tenant ${tenant.name}: ${error instanceof Error ? error.message : String(error)}`]);
      }
    },
  };
  return [init, tenants, admins];
}

export const controlPlaneCommands: readonly Command[] = createControlPlaneCommands();
