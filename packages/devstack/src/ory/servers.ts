import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";
import { startEmbeddedHydra, createLogger, HydraConfigError } from "@olympus/embedded-hydra";
import { ConfigError as KratosConfigError, startEmbeddedKratos } from "@olympus/embedded-kratos";
import { DevstackError, messageOf } from "../errors";
import type { DevstackPorts } from "../options";
import { displayPath } from "../paths";
import type { OryServerConfig } from "./configs";

export interface RunningOryServer {
  config: OryServerConfig;
  /** Loopback URLs (what the apps and the seeds call). */
  publicUrl: string;
  adminUrl: string;
  /** What every admin request but /health/* must carry as `Authorization: Bearer <adminToken>`. */
  adminToken: string;
  close(): Promise<void>;
}

export interface StartOryOptions {
  ports: DevstackPorts;
  /** The mail catcher's SMTP port: both Kratos couriers send there unless `kratosLayers` say otherwise. */
  smtpPort: number;
  logDir: string;
  /**
   * Kratos only: config files merged over the server's own, in order (the
   * dev stack's layer with the mail catcher's port, then the overlay from
   * Athena's settings); Kratos watches and reloads them.
   */
  kratosLayers?: readonly string[];
}

/**
 * Starts one Kratos- or Hydra-compatible server in this process from its
 * platform/dev config, with its own DSN. Kratos' public base URL (Hera's
 * proxy) and Hydra's issuer always name the domain's *.localhost host with the port in use
 * (never 127.0.0.1, where the host-scoped cookies are not sent), Kratos' link
 * to its Hydra and (through the dev layer) the courier's SMTP port follow the ports in use, so
 * nothing points at a default port when tests move them. The admin API
 * requires the domain's bearer token, as the apps send it.
 */
export async function startOryServer(server: OryServerConfig, options: StartOryOptions): Promise<RunningOryServer> {
  const ports = options.ports[server.domain];
  const host = `${server.domain}.localhost`;
  const log = openLog(path.join(options.logDir, `${server.id}.log`));
  try {
    if (server.service === "kratos") {
      const kratos = await startEmbeddedKratos({
        configPath: [server.configPath, ...(options.kratosLayers ?? [])],
        dsn: server.dsn,
        publicPort: ports.kratosPublic,
        adminPort: ports.kratosAdmin,
        // As platform/dev/<domain>-kratos/kratos.yml says, on the ports in use:
        // browsers reach Kratos through Hera's same-origin proxy (Hera's
        // /.ory/kratos/, where the abuse limits run), on the browser-facing
        // host — given only a port, the server would advertise 127.0.0.1,
        // where the host-scoped cookies are never sent.
        publicBaseUrl: `http://${host}:${ports.hera}/.ory/kratos/`,
        host: "127.0.0.1",
        adminToken: server.adminToken,
        // As docker-compose.dev.yml runs `kratos serve --dev`: Athena's courier page shows message bodies in development.
        dev: true,
        configOverrides: {
          // With layers, the dev layer names the mail catcher: an override would win over Athena's SMTP settings in the overlay.
          ...(options.kratosLayers
            ? {}
            : { courier: { smtp: { connection_uri: `smtp://127.0.0.1:${options.smtpPort}/?disable_starttls=true` } } }),
          oauth2_provider: { url: `http://127.0.0.1:${ports.hydraAdmin}/` },
        },
        log: (line) => log.write(`${line}\n`),
      });
      return {
        config: server,
        publicUrl: kratos.publicUrl,
        adminUrl: kratos.adminUrl,
        adminToken: server.adminToken,
        close: closeBoth(() => kratos.close(), log),
      };
    }
    const hydra = await startEmbeddedHydra({
      configPath: server.configPath,
      dsn: server.dsn,
      publicPort: ports.hydraPublic,
      adminPort: ports.hydraAdmin,
      issuer: `http://${host}:${ports.hydraPublic}/`,
      host: "127.0.0.1",
      adminToken: server.adminToken,
      // As docker-compose.dev.yml runs `hydra serve all --dev`: cookie names get Hydra's `_dev` suffix.
      dev: true,
      logger: createLogger("text", (line) => log.write(`${line}\n`)),
    });
    return {
      config: server,
      publicUrl: hydra.publicUrl,
      adminUrl: hydra.adminUrl,
      adminToken: server.adminToken,
      close: closeBoth(() => hydra.close(), log),
    };
  } catch (error) {
    log.end();
    throw explain(server, error);
  }
}

function closeBoth(close: () => Promise<void>, log: WriteStream): () => Promise<void> {
  return async () => {
    try {
      await close();
    } finally {
      await new Promise<void>((resolve) => log.end(resolve));
    }
  };
}

function openLog(file: string): WriteStream {
  mkdirSync(path.dirname(file), { recursive: true });
  return createWriteStream(file, { flags: "a" });
}

/** Maps a server's start-up failure to the dev stack's one-line messages. */
function explain(server: OryServerConfig, error: unknown): DevstackError {
  if (error instanceof DevstackError) return error;
  const where = displayPath(server.configPath);
  if (error instanceof KratosConfigError || error instanceof HydraConfigError) {
    return new DevstackError("config", `config file ${where} is invalid: ${messageOf(error).replace(/\s*\n\s*/g, " ")}`, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    const port = /:(\d+)$/.exec(messageOf(error))?.[1] ?? "?";
    return new DevstackError("port-in-use", `port ${port} (${server.label}) is already in use`, { cause: error });
  }
  return new DevstackError("server", `${server.label} failed to start (${where}): ${messageOf(error)}`, { cause: error });
}
