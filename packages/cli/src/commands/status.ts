import { DOMAINS, isDomain, SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { z } from "zod";
import { stringOption, type Command } from "../command";
import { httpUrl, readVariables, variable, type Env, type Variable } from "../env";
import { usageError } from "../errors";
import { pingPostgres } from "../postgres-ping";

type Kind = "kratos" | "hydra" | "hera" | "athena" | "postgres";

interface Target {
  /** "IAM Kratos admin" */
  name: string;
  kind: Kind;
  domain: Domain | undefined;
  /** The variable that sets its URL, for messages and --help. */
  variable: string;
  url: string;
}

export interface ServiceStatus {
  name: string;
  url: string;
  up: boolean;
  detail: string;
  ms: number;
}

const ORY: {
  kind: "kratos" | "hydra";
  label: string;
  variable: string;
  port: "kratosPublic" | "kratosAdmin" | "hydraPublic" | "hydraAdmin";
  side: string;
}[] = [
  { kind: "kratos", label: "Kratos", variable: "KRATOS_PUBLIC_URL", port: "kratosPublic", side: "public" },
  { kind: "kratos", label: "Kratos", variable: "KRATOS_ADMIN_URL", port: "kratosAdmin", side: "admin" },
  { kind: "hydra", label: "Hydra", variable: "HYDRA_PUBLIC_URL", port: "hydraPublic", side: "public" },
  { kind: "hydra", label: "Hydra", variable: "HYDRA_ADMIN_URL", port: "hydraAdmin", side: "admin" },
];
const APPS: { kind: "hera" | "athena"; label: string; variable: string; port: "hera" | "athena" }[] = [
  { kind: "hera", label: "Hera", variable: "HERA_URL", port: "hera" },
  { kind: "athena", label: "Athena", variable: "ATHENA_URL", port: "athena" },
];

const POSTGRES_VARIABLE = "OLYMPUS_POSTGRES_URL";
const postgresUrl = (fallback: string) =>
  z
    .string()
    .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
      error: "must be a postgres:// URL (host and port are enough)",
    })
    .default(fallback);

/** Where services are when no variable says otherwise: the port table on 127.0.0.1 (npm run dev), or Compose's service names. */
export type Hosts = "local" | "compose";

/** Every service of `domains` with the variable that moves it. */
function targetVariables(
  domains: readonly Domain[],
  hosts: Hosts,
): { targets: Omit<Target, "url">[]; specs: Record<string, Variable<string>> } {
  const targets: Omit<Target, "url">[] = [];
  const specs: Record<string, Variable<string>> = {};
  const where = hosts === "compose" ? "Compose's service names" : "the port table on 127.0.0.1";
  for (const domain of domains) {
    const prefix = domain.toUpperCase();
    const host = (service: string) => (hosts === "compose" ? `${domain}-${service}` : "127.0.0.1");
    for (const ory of ORY) {
      const name = `${prefix}_${ory.variable}`;
      targets.push({ name: `${prefix} ${ory.label} ${ory.side}`, kind: ory.kind, domain, variable: name });
      specs[name] = variable(
        httpUrl().default(`http://${host(ory.kind)}:${SERVICE_PORTS[domain][ory.port]}`),
        `set it to ${prefix} ${ory.label}'s ${ory.side} API or leave it unset for ${where}`,
      );
    }
    for (const app of APPS) {
      const name = `${prefix}_${app.variable}`;
      targets.push({ name: `${prefix} ${app.label}`, kind: app.kind, domain, variable: name });
      specs[name] = variable(
        httpUrl().default(`http://${host(app.kind)}:${SERVICE_PORTS[domain][app.port]}`),
        `set it to ${app.label} ${prefix}'s base URL or leave it unset for ${where}`,
      );
    }
  }
  targets.push({ name: "Postgres", kind: "postgres", domain: undefined, variable: POSTGRES_VARIABLE });
  specs[POSTGRES_VARIABLE] = variable(
    postgresUrl(hosts === "compose" ? "postgres://postgres:5432" : "postgres://127.0.0.1:5432"),
    "set it to the PostgreSQL server, e.g. postgres://postgres:5432",
  );
  return { targets, specs };
}

export function statusTargets(env: Env, domains: readonly Domain[] = DOMAINS, hosts: Hosts = "local"): Target[] {
  const { targets, specs } = targetVariables(domains, hosts);
  const urls = readVariables(env, specs) as Record<string, string>;
  return targets.map((target) => ({ ...target, url: urls[target.variable] ?? "" }));
}

export const statusCommand: Command = {
  name: "status",
  summary: "check every service's readiness, one line each; exit 1 if any is down",
  usage: "olympus status [--domain ciam|iam] [--compose] [--timeout <seconds>]",
  help: `Probes, in parallel, for both domains:
  Kratos public and admin, Hydra public and admin   GET /health/ready must answer 200
  Hera and Athena                                   GET /api/health?ready=1 must answer 200 as that app and domain
and Postgres (a start-up message, as pg_isready sends; no credentials needed).
Prints one line per service and exits 1 if any is down.

Options:
  --domain ciam|iam     one domain's services (and Postgres) only: what a container on
                        one domain's network can reach
  --compose             default to Compose's service names (http://iam-kratos:4101, …,
                        postgres://postgres:5432) instead of 127.0.0.1, e.g.
                        docker compose run --rm --no-deps iam-bootstrap status --compose --domain iam
  --timeout <seconds>   how long each probe may take (default 5)

Environment (each defaults to the port table on 127.0.0.1, as npm run dev serves it):
  CIAM_KRATOS_PUBLIC_URL, CIAM_KRATOS_ADMIN_URL, CIAM_HYDRA_PUBLIC_URL, CIAM_HYDRA_ADMIN_URL,
  CIAM_HERA_URL, CIAM_ATHENA_URL, and the same with IAM_,
  OLYMPUS_POSTGRES_URL (default postgres://127.0.0.1:5432)`,
  options: { domain: { type: "string" }, compose: { type: "boolean" }, timeout: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run({ options, env }) {
    const timeoutRaw = stringOption(options, "timeout");
    const timeout = timeoutRaw === undefined ? 5 : Number(timeoutRaw);
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120)
      throw usageError(`--timeout "${timeoutRaw}" must be a number of seconds from 0 to 120`);
    const domainOption = stringOption(options, "domain");
    if (domainOption !== undefined && !isDomain(domainOption)) throw usageError(`--domain "${domainOption}" must be ciam or iam`);
    const targets = statusTargets(
      env,
      domainOption === undefined ? DOMAINS : [domainOption],
      options.compose === true ? "compose" : "local",
    );
    const statuses = await Promise.all(targets.map((target) => probe(target, timeout * 1000)));
    const down = statuses.filter((s) => !s.up);
    const width = Math.max(...statuses.map((s) => s.name.length));
    return {
      ok: down.length === 0,
      data: { services: statuses, up: statuses.length - down.length, down: down.length },
      lines: [
        ...statuses.map(
          (s) => `${s.up ? "up  " : "DOWN"}  ${s.name.padEnd(width)}  ${s.url}  ${s.up ? `${s.detail} (${s.ms} ms)` : s.detail}`,
        ),
        down.length === 0
          ? `status: all ${statuses.length} services up`
          : `status: ${down.length} of ${statuses.length} down: ${down.map((s) => s.name).join(", ")}`,
      ],
    };
  },
};

async function probe(target: Target, timeoutMs: number): Promise<ServiceStatus> {
  const started = Date.now();
  if (target.kind === "postgres") {
    const url = new URL(target.url);
    const result = await pingPostgres(url.hostname, Number(url.port || 5432), decodeURIComponent(url.username) || "postgres", timeoutMs);
    return { name: target.name, url: `${url.protocol}//${url.host}`, up: result.up, detail: result.detail, ms: Date.now() - started };
  }
  // Apps answer readiness at /api/health?ready=1 (their Kratos, Hydra and database); a build without it answers liveness there.
  const url = target.kind === "hera" || target.kind === "athena" ? `${target.url}/api/health?ready=1` : `${target.url}/health/ready`;
  const status = (up: boolean, detail: string): ServiceStatus => ({ name: target.name, url, up, detail, ms: Date.now() - started });
  let response: Response;
  try {
    response = await fetchFresh(url, timeoutMs);
  } catch (error) {
    return status(false, unreachable(error, timeoutMs));
  }
  const text = await response.text();
  if (target.kind === "kratos" || target.kind === "hydra")
    return response.status === 200 ? status(true, "ready") : status(false, `answered ${response.status}`);
  // An app must say which app and domain it is: another app on the port is not this one being up.
  const body = appHealth.safeParse(safeJson(text));
  if (!body.success || body.data.app === undefined) return status(false, `answered ${response.status} without an Olympus health body`);
  if (body.data.app !== target.kind || body.data.domain !== target.domain) {
    return status(false, `answers as ${body.data.app} ${body.data.domain ?? "?"}, not ${target.kind} ${target.domain ?? ""}`.trim());
  }
  if (response.status === 200 && (body.data.status === "ok" || body.data.status === "ready")) return status(true, body.data.status);
  const checks = body.data.checks === undefined ? "" : `: ${JSON.stringify(body.data.checks).slice(0, 160)}`;
  return status(false, `answered ${response.status} (${body.data.status ?? "no status"})${checks}`);
}

const appHealth = z.looseObject({
  status: z.string().optional(),
  app: z.string().optional(),
  domain: z.string().optional(),
  checks: z.unknown().optional(),
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A kept-alive connection the server has since closed says nothing about the server now: ask once more on a new one. */
async function fetchFresh(url: string, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (causeCode(error) !== "UND_ERR_SOCKET") throw error;
    return fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  }
}

function causeCode(error: unknown): unknown {
  return (error as { cause?: { code?: unknown } }).cause?.code;
}

function unreachable(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "UND_ERR_SOCKET") return "closed the connection";
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
