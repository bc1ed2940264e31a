import { createServer, type Server } from "node:http";
import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { startDemoApp } from "../../demo/support/stack";
import { startDevstack } from "../../support/devstack";
import type { RunningStack } from "../../support/worker-stack";

/** One domain's endpoints. Browser URLs use *.localhost; Node calls 127.0.0.1. */
export interface SecurityDomain {
  name: "ciam" | "iam";
  hera: string;
  athena: string;
  kratosPublic: string;
  kratosAdmin: string;
  hydraPublic: string;
  hydraAdmin: string;
  /** Hydra's issuer as ID tokens name it. */
  issuer: string;
  /** Where throwaway test clients are sent back to (a stub page). */
  relyingParty: string;
  /** The admin APIs' bearer token (the embedded stack's dev token). */
  adminToken: string;
  /** Kratos' session cookie name in this domain. */
  sessionCookie: string;
}

export interface SecurityStack {
  ciam: SecurityDomain;
  iam: SecurityDomain;
  /** The demo relying party (apps/demo, client ciam-demo-rp). */
  demo: string;
  admin: { email: string; password: string };
  /** How often Athena re-validates its sessions at IAM Hydra in this stack (seconds). */
  athenaRevalidateSeconds: number;
}

/** Athena re-validates every few seconds here, so a journey can wait the window out. */
export const ATHENA_REVALIDATE_SECONDS = 3;
export const ATHENA_REVALIDATE_VARIABLE = "AUTH_SESSION_REVALIDATE_SECONDS";

function domain(name: "ciam" | "iam", base: number): SecurityDomain {
  const env = embeddedAppEnv(name, "athena");
  return {
    name,
    hera: `http://${name}.localhost:${base}`,
    athena: `http://${name}.localhost:${base + 1}`,
    kratosPublic: `http://127.0.0.1:${base + 100}`,
    kratosAdmin: `http://127.0.0.1:${base + 101}`,
    hydraPublic: `http://127.0.0.1:${base + 102}`,
    hydraAdmin: `http://127.0.0.1:${base + 103}`,
    issuer: `http://${name}.localhost:${base + 102}/`,
    relyingParty: `http://${name}.localhost:${base + 9}`,
    adminToken: env[`${name.toUpperCase()}_ADMIN_API_TOKEN`] ?? "",
    sessionCookie: `${name}_kratos_session`,
  };
}

export const STACK: SecurityStack = {
  ciam: domain("ciam", 3000),
  iam: domain("iam", 4000),
  demo: "http://ciam.localhost:3002",
  admin: { email: "admin@olympus.local", password: "dev-password-change-me" },
  athenaRevalidateSeconds: ATHENA_REVALIDATE_SECONDS,
};

/** A page that just says "relying party": test clients' redirect URIs; the test reads the code from the URL. */
function startRelyingPartyStub(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<!doctype html><title>relying party</title><p>relying party</p>");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/**
 * The whole platform an attacker meets: the embedded dev stack, Hera and
 * Athena for both domains (Athena with a short re-validation window), the
 * demo relying party, and stub pages for throwaway test clients.
 */
export async function startSecurityStack(): Promise<RunningStack<SecurityStack>> {
  const stubs = await Promise.all([3009, 4009].map(startRelyingPartyStub));
  const stopStubs = () => Promise.all(stubs.map((server) => new Promise((resolve) => server.close(resolve))));
  const athenaEnv = { [ATHENA_REVALIDATE_VARIABLE]: String(ATHENA_REVALIDATE_SECONDS) };
  let backend: Awaited<ReturnType<typeof startDevstack>> | undefined;
  try {
    backend = await startDevstack([
      { app: "hera", domain: "ciam" },
      { app: "hera", domain: "iam" },
      { app: "athena", domain: "ciam", env: athenaEnv },
      { app: "athena", domain: "iam", env: athenaEnv },
    ]);
    const demo = await startDemoApp();
    const running = backend;
    return {
      stack: STACK,
      stop: async () => {
        await demo.stop();
        await running.stop();
        await stopStubs();
      },
    };
  } catch (error) {
    await backend?.stop();
    await stopStubs();
    throw error;
  }
}
