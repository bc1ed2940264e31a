import path from "node:path";
import { z } from "zod";
import { SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { EMBEDDED_DEMO_CLIENT } from "./embedded-defaults";
import { DevstackError } from "./errors";
import { DEFAULT_DATA_DIR } from "./paths";

export const ORY_SERVERS = ["ciam-kratos", "ciam-hydra", "iam-kratos", "iam-hydra"] as const;
export type OryServerId = (typeof ORY_SERVERS)[number];

export interface DomainPorts {
  hera: number;
  athena: number;
  kratosPublic: number;
  kratosAdmin: number;
  hydraPublic: number;
  hydraAdmin: number;
}

export interface DevstackPorts {
  postgres: number;
  smtp: number;
  inbox: number;
  /** The demo relying party (a CIAM app, started by turbo beside Hera and Athena). */
  demo: number;
  ciam: DomainPorts;
  iam: DomainPorts;
}

export interface AdminLogin {
  email: string;
  password: string;
  /** True when the password came from OLYMPUS_ADMIN_PASSWORD: then it is never printed. */
  passwordFromEnv: boolean;
}

export interface DevstackOptions {
  /** Postgres data, mail and logs; kept across restarts. */
  dataDir: string;
  ports: DevstackPorts;
  /**
   * Superuser URL of an existing PostgreSQL server (OLYMPUS_DEV_POSTGRES_URL);
   * when set, no embedded Postgres is started. Not OLYMPUS_DATABASE_URL: that
   * is each Athena's own connection to the olympus database, as its domain's role.
   */
  databaseUrl: string | undefined;
  /** Replaces a server's config-file DSN (as Compose's DSN variable does). */
  dsnOverrides: Partial<Record<OryServerId, string>>;
  /** Wait for Hera, Athena and the demo relying party (started by turbo) before "ready". */
  apps: boolean;
  appsTimeoutMs: number;
  admin: AdminLogin;
}

/** The IAM Kratos config's min_password_length; a shorter seeded password could never be typed into the login form. */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;
export const DEFAULT_ADMIN: Omit<AdminLogin, "passwordFromEnv"> = {
  email: "admin@olympus.local",
  password: "dev-password-change-me",
};

export const DEFAULT_PORTS: DevstackPorts = {
  postgres: 5432,
  smtp: 1025,
  inbox: 1080,
  demo: EMBEDDED_DEMO_CLIENT.port,
  ciam: { ...SERVICE_PORTS.ciam },
  iam: { ...SERVICE_PORTS.iam },
};

const port = z.coerce.number().int().min(1).max(65535);
const domainPortsOverride = z
  .object({
    hera: port,
    athena: port,
    kratosPublic: port,
    kratosAdmin: port,
    hydraPublic: port,
    hydraAdmin: port,
  })
  .partial()
  .strict();
const portsOverride = z
  .object({ postgres: port, smtp: port, inbox: port, demo: port, ciam: domainPortsOverride, iam: domainPortsOverride })
  .partial()
  .strict();
export type PortsOverride = z.infer<typeof portsOverride>;

export function withPorts(base: DevstackPorts, override: PortsOverride): DevstackPorts {
  const merged: DevstackPorts = {
    postgres: override.postgres ?? base.postgres,
    smtp: override.smtp ?? base.smtp,
    inbox: override.inbox ?? base.inbox,
    demo: override.demo ?? base.demo,
    ciam: { ...base.ciam, ...override.ciam },
    iam: { ...base.iam, ...override.iam },
  };
  return merged;
}

export type Env = Readonly<Record<string, string | undefined>>;

const DSN_VARIABLES: Record<OryServerId, string> = {
  "ciam-kratos": "CIAM_KRATOS_DSN",
  "ciam-hydra": "CIAM_HYDRA_DSN",
  "iam-kratos": "IAM_KRATOS_DSN",
  "iam-hydra": "IAM_HYDRA_DSN",
};

/**
 * Reads the dev stack's options from the environment once, at start-up. A bad
 * value stops the stack with one line naming the variable and the fix.
 */
export function optionsFromEnv(env: Env, cwd = process.cwd()): DevstackOptions {
  const fail = (variable: string, reason: string): never => {
    throw new DevstackError("config", `${variable}: ${reason}`);
  };

  let ports = DEFAULT_PORTS;
  if (env.OLYMPUS_POSTGRES_PORT) {
    const parsed = port.safeParse(env.OLYMPUS_POSTGRES_PORT);
    if (!parsed.success) fail("OLYMPUS_POSTGRES_PORT", `must be a port number, got "${env.OLYMPUS_POSTGRES_PORT}"`);
    else ports = withPorts(ports, { postgres: parsed.data });
  }
  if (env.OLYMPUS_DEV_PORTS) {
    let json: unknown;
    try {
      json = JSON.parse(env.OLYMPUS_DEV_PORTS);
    } catch {
      fail("OLYMPUS_DEV_PORTS", 'must be JSON such as {"postgres":15432,"ciam":{"kratosPublic":13100}}');
    }
    const parsed = portsOverride.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail("OLYMPUS_DEV_PORTS", `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
    } else ports = withPorts(ports, parsed.data);
  }

  const databaseUrl = env.OLYMPUS_DEV_POSTGRES_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    fail("OLYMPUS_DEV_POSTGRES_URL", "must be a postgres:// URL of a superuser on an existing server");
  }

  const dsnOverrides: Partial<Record<OryServerId, string>> = {};
  for (const server of ORY_SERVERS) {
    const value = env[DSN_VARIABLES[server]];
    if (!value) continue;
    if (!/^postgres(ql)?:\/\//.test(value)) fail(DSN_VARIABLES[server], "must be a postgres:// URL");
    dsnOverrides[server] = value;
  }

  const appsFlag = (env.OLYMPUS_DEV_APPS ?? "1").toLowerCase();
  if (!["0", "1", "false", "true"].includes(appsFlag)) fail("OLYMPUS_DEV_APPS", 'must be "1" (wait for the apps) or "0" (backend only)');

  const email = env.OLYMPUS_ADMIN_EMAIL || DEFAULT_ADMIN.email;
  if (!z.email().safeParse(email).success) fail("OLYMPUS_ADMIN_EMAIL", `must be an email address, got "${email}"`);
  const password = env.OLYMPUS_ADMIN_PASSWORD || DEFAULT_ADMIN.password;
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    fail("OLYMPUS_ADMIN_PASSWORD", `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters (IAM Kratos' min_password_length)`);
  }

  return {
    dataDir: env.OLYMPUS_DATA_DIR ? path.resolve(cwd, env.OLYMPUS_DATA_DIR) : DEFAULT_DATA_DIR,
    ports,
    databaseUrl,
    dsnOverrides,
    apps: appsFlag === "1" || appsFlag === "true",
    appsTimeoutMs: 10 * 60_000,
    admin: { email, password, passwordFromEnv: Boolean(env.OLYMPUS_ADMIN_PASSWORD) },
  };
}

export function serverDomain(server: OryServerId): Domain {
  return server.startsWith("ciam-") ? "ciam" : "iam";
}

export function serverService(server: OryServerId): "kratos" | "hydra" {
  return server.endsWith("-kratos") ? "kratos" : "hydra";
}

export function serverId(domain: Domain, service: "kratos" | "hydra"): OryServerId {
  return `${domain}-${service}`;
}
