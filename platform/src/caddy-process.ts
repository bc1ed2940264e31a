import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { request } from "node:https";
import os from "node:os";
import path from "node:path";
import { freePort } from "@olympus/test-postgres";
import { PLATFORM_DIR } from "./paths";

const CADDYFILE = path.join(PLATFORM_DIR, "caddy", "Caddyfile");

/** The upstream variables platform/caddy/Caddyfile reads, each named after the service it stands for. */
export const UPSTREAM_VARIABLES = [
  "CIAM_HERA_UPSTREAM",
  "CIAM_ATHENA_UPSTREAM",
  "CIAM_HYDRA_PUBLIC_UPSTREAM",
  "IAM_HERA_UPSTREAM",
  "IAM_ATHENA_UPSTREAM",
  "IAM_HYDRA_PUBLIC_UPSTREAM",
] as const;
export type UpstreamVariable = (typeof UPSTREAM_VARIABLES)[number];

export interface HttpAnswer {
  status: number;
  body: string;
  /** Response headers (lower-case names), e.g. the `www-authenticate` challenge of a guarded admin API. */
  headers: IncomingHttpHeaders;
}

export interface RunningCaddy {
  /** GET https://<host><path> through this Caddy (the name is sent as SNI and Host; it always connects to loopback). */
  get: (host: string, urlPath: string) => Promise<HttpAnswer>;
  stop: () => Promise<void>;
}

/**
 * Runs Debian's `caddy` with the project's Caddyfile (DOMAIN=localhost) on
 * free ports, its upstreams pointing wherever `upstreams` says, and waits
 * until it serves. The isolation checks drive a real Caddy through this.
 */
export async function startCaddy(upstreams: Record<UpstreamVariable, string>): Promise<RunningCaddy> {
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const home = await mkdtemp(path.join(os.tmpdir(), "olympus-caddy-home-"));
  const child = spawn("caddy", ["run", "--config", CADDYFILE, "--adapter", "caddyfile"], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      XDG_DATA_HOME: home,
      XDG_CONFIG_HOME: home,
      DOMAIN: "localhost",
      CADDY_HTTP_PORT: String(httpPort),
      CADDY_HTTPS_PORT: String(httpsPort),
      ...upstreams,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  const get = (host: string, urlPath: string) => httpsGet(httpsPort, host, urlPath);

  const deadline = Date.now() + 20_000;
  while (
    !(await get("ciam.localhost", "/").then(
      () => true,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not serve in time:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { get, stop };
}

function httpsGet(port: number, host: string, urlPath: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // Caddy's local CA is not trusted here; what is under test is where a request lands, not TLS.
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        servername: host,
        headers: { host, accept: "application/json" },
        rejectUnauthorized: false,
        timeout: 10_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: https://${host}${urlPath}`)));
    req.on("error", reject);
    req.end();
  });
}
