import { EMBEDDED_ADMIN_API_TOKEN, EMBEDDED_OLYMPUS_DATABASE_URLS } from "@olympus/devstack/defaults";
import { SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { startDevstack } from "../../support/devstack";
import type { RunningStack } from "../../support/worker-stack";

/** One domain's half of the running platform. Browser URLs use *.localhost; Node uses 127.0.0.1. */
export interface DomainSide {
  /** Hera as browsers reach it (host-scoped cookies live on this host). */
  hera: string;
  athena: string;
  /** The host name every browser-facing service of this domain shares. */
  host: string;
  kratosPublic: string;
  kratosAdmin: string;
  hydraPublic: string;
  /** Hydra's public API as browsers reach it (the issuer's origin). */
  hydraBrowser: string;
  hydraAdmin: string;
  adminToken: string;
}

export interface IsolationStack {
  ciam: DomainSide;
  iam: DomainSide;
  /** The shared `olympus` database as each embedded Athena reaches it: logged in as its own domain's role. */
  olympusDatabaseUrls: Record<Domain, string>;
  /** The embedded Postgres' superuser (README: the dev stack's settings), for the throwaway breakages only. */
  superuserUrl: string;
  admin: { email: string; password: string };
}

function side(domain: Domain): DomainSide {
  const ports = SERVICE_PORTS[domain];
  const host = `${domain}.localhost`;
  return {
    hera: `http://${host}:${ports.hera}`,
    athena: `http://${host}:${ports.athena}`,
    host,
    kratosPublic: `http://127.0.0.1:${ports.kratosPublic}`,
    kratosAdmin: `http://127.0.0.1:${ports.kratosAdmin}`,
    hydraPublic: `http://127.0.0.1:${ports.hydraPublic}`,
    hydraBrowser: `http://${host}:${ports.hydraPublic}`,
    hydraAdmin: `http://127.0.0.1:${ports.hydraAdmin}`,
    adminToken: EMBEDDED_ADMIN_API_TOKEN[domain],
  };
}

export const STACK: IsolationStack = {
  ciam: side("ciam"),
  iam: side("iam"),
  olympusDatabaseUrls: EMBEDDED_OLYMPUS_DATABASE_URLS,
  superuserUrl: "postgres://postgres:postgres_dev_password@127.0.0.1:5432/postgres",
  admin: { email: "admin@olympus.local", password: "dev-password-change-me" },
};

/**
 * The whole platform as `npm run dev` runs it (throwaway data directory):
 * Postgres, both domains' Kratos and Hydra, the mail catcher, the seeds, and the built
 * Hera and Athena for both domains. The isolation checks run against this,
 * not against stand-ins.
 */
export async function startIsolationStack(): Promise<RunningStack<IsolationStack>> {
  const running = await startDevstack([
    { app: "hera", domain: "ciam" },
    { app: "hera", domain: "iam" },
    { app: "athena", domain: "ciam" },
    { app: "athena", domain: "iam" },
  ]);
  return { stack: STACK, stop: running.stop };
}
