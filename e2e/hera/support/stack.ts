import { createServer, type Server } from "node:http";
import { EMBEDDED_ADMIN_API_TOKEN } from "@olympus/devstack/defaults";
import { startDevstack, type RunningDevstack } from "../../support/devstack";
import type { RunningStack } from "../../support/worker-stack";

/** Everything a Hera journey needs to reach. Browser URLs use *.localhost; Node uses 127.0.0.1. */
export interface HeraStack {
  ciam: DomainEndpoints;
  iam: DomainEndpoints;
  /** The mail catcher's REST API (maildev's paths; all mail both Kratos send). */
  inboxApi: string;
  /** The seeded IAM administrator. */
  admin: { email: string; password: string };
}

export interface DomainEndpoints {
  hera: string;
  /** Kratos' public API as browsers reach it (forms post there): Hera's own origin, under its proxy's /.ory/kratos. */
  kratosBrowser: string;
  kratosAdmin: string;
  /** Kratos' own database (journeys that must age a flow past its lifespan). */
  kratosDatabase: string;
  hydraAdmin: string;
  /** The bearer token both admin APIs require (the embedded stack's dev token). */
  adminToken: string;
  hydraPublic: string;
  /** Hydra's issuer as browsers and ID tokens name it. */
  issuer: string;
}

export const STACK: HeraStack = {
  ciam: {
    hera: "http://ciam.localhost:3000",
    kratosBrowser: "http://ciam.localhost:3000/.ory/kratos",
    kratosAdmin: "http://127.0.0.1:3101",
    kratosDatabase: "postgres://ciam_kratos:ciam_kratos_dev_password@127.0.0.1:5432/ciam_kratos",
    hydraAdmin: "http://127.0.0.1:3103",
    adminToken: EMBEDDED_ADMIN_API_TOKEN.ciam,
    hydraPublic: "http://127.0.0.1:3102",
    issuer: "http://ciam.localhost:3102/",
  },
  iam: {
    hera: "http://iam.localhost:4000",
    kratosBrowser: "http://iam.localhost:4000/.ory/kratos",
    kratosAdmin: "http://127.0.0.1:4101",
    kratosDatabase: "postgres://iam_kratos:iam_kratos_dev_password@127.0.0.1:5432/iam_kratos",
    hydraAdmin: "http://127.0.0.1:4103",
    adminToken: EMBEDDED_ADMIN_API_TOKEN.iam,
    hydraPublic: "http://127.0.0.1:4102",
    issuer: "http://iam.localhost:4102/",
  },
  inboxApi: "http://127.0.0.1:1080/api/email",
  admin: { email: "admin@olympus.local", password: "dev-password-change-me" },
};

/**
 * Starts the embedded dev stack (Postgres, both domains' Kratos and Hydra,
 * the mail catcher, seeds) from a throwaway data directory, then the built Hera twice
 * (CIAM on :3000, IAM on :4000: Kratos' and Hydra's configs point there).
 * HERA_E2E_EXTERNAL_STACK=1 uses an already running stack and Hera instead
 * (for working on the journeys; nothing is started or stopped).
 */
export async function startHeraStack(): Promise<RunningStack<HeraStack>> {
  const relyingParties = await Promise.all([3002, 4002].map(startRelyingPartyStub));
  const stopRelyingParties = () => Promise.all(relyingParties.map((server) => new Promise((resolve) => server.close(resolve))));
  if (process.env.HERA_E2E_EXTERNAL_STACK === "1") return { stack: STACK, stop: async () => void (await stopRelyingParties()) };
  const running = await startBackendAndHera().catch(async (error: unknown) => {
    await stopRelyingParties();
    throw error;
  });
  return {
    stack: STACK,
    stop: async () => {
      await running.stop();
      await stopRelyingParties();
    },
  };
}

/**
 * Where test clients' redirect and post-logout URIs point (Hera's port + 2, like
 * the seeded demo RP): a page that just says "relying party". The test reads
 * the code from the URL and redeems it itself.
 */
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

function startBackendAndHera(): Promise<RunningDevstack> {
  return startDevstack([
    { app: "hera", domain: "ciam" },
    { app: "hera", domain: "iam" },
  ]);
}
