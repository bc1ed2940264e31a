import {
  DEFAULT_APP_IDLE_TIMEOUT,
  findTenant,
  parseAppIdleTimeout,
  readRegistry,
  startEmbeddedTenant,
  stopEmbeddedTenant,
  type Tenant,
} from "@olympus/tenancy";
import { stringOption, type Command } from "../command";
import { CliError, configError, usageError } from "../errors";
import { ROOT_HELP, tenantDirectory, tenantsRoot } from "./tenant-support";

async function embeddedTenant(root: string, name: string): Promise<Tenant> {
  const registry = await readRegistry(root).catch((error: unknown) => {
    throw configError(error instanceof Error ? error.message : String(error));
  });
  const tenant = findTenant(registry, name);
  if (!tenant) throw usageError(`no tenant named "${name}"; olympus tenant list shows them`);
  if (tenant.target !== "embedded") throw usageError(`${name} is a ${tenant.target} tenant: docker compose or kubectl runs it`);
  return tenant;
}

export const tenantStartCommand: Command = {
  name: "tenant start",
  summary: "start an embedded tenant's processes (detached) and wait until they are ready",
  usage: "olympus tenant start <name> [--no-apps] [--app-idle-timeout <d>] [--root <dir>]",
  help: [
    "Options:",
    "  --no-apps      Postgres, Kratos and Hydra only",
    "  --app-idle-timeout <d>",
    "                 this run: stop an app after this long without a connection, start it again at the next",
    `                 (10m, 90s, 1h; 0 or never: always on); default: the tenant's own (tenant create), else ${DEFAULT_APP_IDLE_TIMEOUT}`,
    ROOT_HELP,
  ].join("\n"),
  options: { "no-apps": { type: "boolean" }, "app-idle-timeout": { type: "string" }, root: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ args, options, env, cwd, out }) {
    const root = tenantsRoot(options, env, cwd);
    const tenant = await embeddedTenant(root, args[0] ?? "");
    out.progress(`starting ${tenant.name}`);
    const appIdleTimeout = stringOption(options, "app-idle-timeout");
    if (appIdleTimeout !== undefined && parseAppIdleTimeout(appIdleTimeout) === undefined)
      throw usageError("--app-idle-timeout must be a duration like 10m, 90s or 1h, or 0/never");
    const state = await startEmbeddedTenant(root, tenant.name, { apps: options["no-apps"] !== true, appIdleTimeout });
    if (state.status !== "ready")
      throw new CliError("failed", [
        `tenant ${tenant.name} did not start: ${state.notes.join("; ")}`,
        `logs: ${tenantDirectory(root, tenant)}/logs`,
      ]);
    return {
      ok: true,
      data: { state },
      lines: [
        `${tenant.name}: running`,
        ...state.processes.map((p) => `  ${p.name.padEnd(12)} pid ${p.pid}  ${p.log}`),
        ...state.notes.map((note) => `  ${note}`),
      ],
    };
  },
};

export const tenantStopCommand: Command = {
  name: "tenant stop",
  summary: "stop an embedded tenant's processes (apps, then Kratos and Hydra, then Postgres); its data stays",
  usage: "olympus tenant stop <name> [--root <dir>]",
  help: ["Options:", ROOT_HELP].join("\n"),
  options: { root: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ args, options, env, cwd }) {
    const root = tenantsRoot(options, env, cwd);
    const tenant = await embeddedTenant(root, args[0] ?? "");
    const result = await stopEmbeddedTenant(root, tenant.name);
    return { ok: true, data: { stopped: tenant.name, result }, lines: [`${tenant.name}: ${result}`] };
  },
};
