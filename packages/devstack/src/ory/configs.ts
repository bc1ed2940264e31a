import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Domain } from "@olympus/runtime-config/config";
import { EMBEDDED_ADMIN_API_TOKEN } from "../embedded-defaults";
import { DevstackError, messageOf } from "../errors";
import { ORY_SERVERS, serverDomain, serverService, type OryServerId } from "../options";
import { devConfigPath, displayPath } from "../paths";
import { moveDsn, parseDsn, type Dsn } from "../postgres/dsn";

/** What the dev stack itself needs from a Kratos/Hydra config file; the servers validate the rest. */
const oryConfigFile = z.object({
  dsn: z.string({ error: "is missing" }).min(1, "is empty"),
  serve: z.object({
    public: z.object({ port: z.number().int().optional() }).loose(),
    admin: z.object({ port: z.number().int().optional() }).loose(),
  }),
});

export interface OryServerConfig {
  id: OryServerId;
  domain: Domain;
  service: "kratos" | "hydra";
  /** Human name for messages: "CIAM Kratos". */
  label: string;
  configPath: string;
  /** The DSN as written in the config file. */
  configDsn: string;
  /** The DSN the server will use: an override, or the config's moved to the running Postgres. */
  dsn: string;
  parsedDsn: Dsn;
  /** The role and database this server must use (init.sql: `<domain>_<service>`). */
  expectedRole: string;
  /**
   * The bearer token its admin API requires (all but /health/*): the domain's
   * EMBEDDED_ADMIN_API_TOKEN, which the apps are started with too.
   */
  adminToken: string;
}

export function serverLabel(id: OryServerId): string {
  return `${serverDomain(id).toUpperCase()} ${serverService(id) === "kratos" ? "Kratos" : "Hydra"}`;
}

/** Reads one config file; a missing file, bad YAML or a missing dsn stops the stack naming the file. */
export function readOryConfig(
  id: OryServerId,
  configPath = devConfigPath(serverDomain(id), serverService(id)),
): { configPath: string; dsn: string } {
  const where = displayPath(configPath);
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch (error) {
    throw new DevstackError("config", `config file ${where} cannot be read: ${messageOf(error)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new DevstackError("config", `config file ${where} is not valid YAML: ${messageOf(error).split("\n")[0]}`);
  }
  const parsed = oryConfigFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevstackError(
      "config",
      `config file ${where} is invalid: ${issue?.path.join(".") || "(root)"} ${issue?.message ?? ""}`.trim(),
    );
  }
  parseDsn(parsed.data.dsn, `config file ${where}`);
  return { configPath, dsn: parsed.data.dsn };
}

export interface ResolveOptions {
  /** Where the databases are: the embedded Postgres or OLYMPUS_DEV_POSTGRES_URL's server. */
  database: { host: string; port: number };
  dsnOverrides: Partial<Record<OryServerId, string>>;
  /** Test seam: other config files. */
  configPaths?: Partial<Record<OryServerId, string>>;
}

export function resolveOryConfigs(options: ResolveOptions): OryServerConfig[] {
  return ORY_SERVERS.map((id) => {
    const { configPath, dsn: configDsn } = readOryConfig(id, options.configPaths?.[id]);
    const override = options.dsnOverrides[id];
    const dsn = override ?? moveDsn(configDsn, options.database);
    return {
      id,
      domain: serverDomain(id),
      service: serverService(id),
      label: serverLabel(id),
      configPath,
      configDsn,
      dsn,
      parsedDsn: parseDsn(dsn, override ? `${id.toUpperCase().replace("-", "_")}_DSN` : `config file ${displayPath(configPath)}`),
      expectedRole: id.replace("-", "_"),
      adminToken: EMBEDDED_ADMIN_API_TOKEN[serverDomain(id)],
    };
  });
}
