import { spawn } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { isAbsolute, join, resolve } from "node:path";
import { embeddedHealthTargets, embeddedRunState, healthTargets, type EmbeddedHealthTarget, type Tenant } from "@olympus/tenancy";
import { stringOption, type OptionValues } from "../command";
import type { Env } from "../env";

/** Runs one external command (docker compose …) and resolves with its exit code. */
export type CommandRunner = (command: string, args: readonly string[], options: { cwd: string }) => Promise<number>;

/** Asks the person at the terminal; undefined when nobody can answer (no TTY). */
export type Prompt = (question: string) => Promise<string | undefined>;

export interface TenantDependencies {
  runner: CommandRunner;
  fetch: typeof fetch;
  prompt: Prompt;
}

/** The child's output goes to stderr, where progress goes, so stdout stays the command's result (or its one JSON document). */
export const spawnRunner: CommandRunner = (command, args, options) =>
  new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", 2, 2] });
    child.on("error", () => resolvePromise(127));
    child.on("close", (code) => resolvePromise(code ?? 1));
  });

export const terminalPrompt: Prompt = async (question) => {
  if (!process.stdin.isTTY) return undefined;
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await readline.question(question);
  } finally {
    readline.close();
  }
};

export const defaultTenantDependencies: TenantDependencies = {
  runner: spawnRunner,
  fetch: (...args) => fetch(...args),
  prompt: terminalPrompt,
};

export const ROOT_HELP =
  "  --root <dir>   the tenants root (default: $OLYMPUS_TENANTS_ROOT, else ./tenants): tenants.json and one directory per tenant";

/** --root, else OLYMPUS_TENANTS_ROOT, else ./tenants, relative to where the command was typed. */
export function tenantsRoot(options: OptionValues, env: Env, cwd: string): string {
  const given = stringOption(options, "root") ?? env.OLYMPUS_TENANTS_ROOT ?? "tenants";
  return isAbsolute(given) ? given : resolve(cwd, given);
}

export function tenantDirectory(root: string, tenant: Pick<Tenant, "name">): string {
  return join(root, tenant.name);
}

/** `docker compose` for one tenant's project, files named explicitly so it runs from anywhere. */
export function composeArgs(root: string, tenant: Tenant, ...command: string[]): string[] {
  const directory = tenantDirectory(root, tenant);
  return [
    "compose",
    "-p",
    `olympus-${tenant.name}`,
    "-f",
    join(directory, "compose.yml"),
    "--env-file",
    join(directory, ".env"),
    ...command,
  ];
}

export interface ServiceHealth {
  service: string;
  url: string;
  up: boolean;
  detail: string;
}

export type TenantHealth = "healthy" | "degraded" | "unreachable" | "not checked";

/** Each service's readiness answer, 2 s each, all at once (Compose and embedded tenants). Kubernetes tenants are not on this host: not checked. */
export async function checkTenant(
  tenant: Tenant,
  fetcher: typeof fetch,
  root?: string,
): Promise<{ health: TenantHealth; services: ServiceHealth[] }> {
  if (tenant.target === "k8s") return { health: "not checked", services: [] };
  // An embedded tenant is read against its run state: apps it did not start are left out, and an app asleep is
  // reported as such without being asked (asking would wake it).
  const targets: EmbeddedHealthTarget[] =
    tenant.target === "embedded" && root
      ? embeddedHealthTargets(tenant, await embeddedRunState(tenantDirectory(root, tenant)))
      : healthTargets(tenant);
  const services = await Promise.all(
    targets.map(async ({ service, url, known }): Promise<ServiceHealth> => {
      if (known) return { service, url, ...known };
      try {
        const response = await fetcher(url, { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        return { service, url, up: response.ok, detail: `HTTP ${response.status}` };
      } catch {
        return { service, url, up: false, detail: "unreachable" };
      }
    }),
  );
  const up = services.filter((s) => s.up).length;
  const answered = services.filter((s) => s.detail !== "unreachable").length;
  const health: TenantHealth = up === services.length ? "healthy" : answered === 0 ? "unreachable" : "degraded";
  return { health, services };
}
