import { embeddedAppEnv } from "@olympus/devstack/defaults";
import { startDevstack } from "../../support/devstack";
import type { RunningStack } from "../../support/worker-stack";

/** What Athena's journeys reach. Browsers use *.localhost names; Node uses 127.0.0.1. */
export interface AthenaStack {
  athena: { ciam: string; iam: string };
  heraIam: string;
  /** CIAM's Hera: where a customer's recovery or invitation link lands (settings, to choose a password). */
  heraCiam: string;
  kratosPublic: { ciam: string; iam: string };
  kratosAdmin: { ciam: string; iam: string };
  hydraAdmin: { ciam: string; iam: string };
  /** Hydra's public API by loopback address (token endpoint, discovery) for Node's own calls. */
  hydraPublic: { ciam: string; iam: string };
  /** The mail catcher's REST API (maildev's paths): every mail both Kratos send. */
  inboxApi: string;
  /** Bearer token the admin APIs require (the embedded stack's dev token). */
  adminToken: { ciam: string; iam: string };
  admin: { email: string; password: string };
}

export const STACK: AthenaStack = {
  athena: { ciam: "http://ciam.localhost:3001", iam: "http://iam.localhost:4001" },
  heraIam: "http://iam.localhost:4000",
  heraCiam: "http://ciam.localhost:3000",
  kratosPublic: { ciam: "http://127.0.0.1:3100", iam: "http://127.0.0.1:4100" },
  kratosAdmin: { ciam: "http://127.0.0.1:3101", iam: "http://127.0.0.1:4101" },
  hydraAdmin: { ciam: "http://127.0.0.1:3103", iam: "http://127.0.0.1:4103" },
  hydraPublic: { ciam: "http://127.0.0.1:3102", iam: "http://127.0.0.1:4102" },
  inboxApi: "http://127.0.0.1:1080/api/email",
  adminToken: {
    ciam: embeddedAppEnv("ciam", "athena").CIAM_ADMIN_API_TOKEN ?? "",
    iam: embeddedAppEnv("iam", "athena").IAM_ADMIN_API_TOKEN ?? "",
  },
  admin: { email: "admin@olympus.local", password: "dev-password-change-me" },
};

/**
 * Starts the embedded dev stack (Postgres with the olympus database, both
 * domains' Kratos and Hydra, the mail catcher, seeds) from a throwaway data
 * directory, then Hera IAM on :4000 (IAM Hydra's login and consent pages),
 * Hera CIAM on :3000 (where customers' recovery and invitation links land)
 * and the built Athena twice: CIAM on :3001, IAM on :4001 — the ports the
 * seeded OAuth2 clients' redirect URIs name.
 * ATHENA_E2E_EXTERNAL_STACK=1 uses an already running stack and apps instead.
 */
export async function startAthenaStack(): Promise<RunningStack<AthenaStack>> {
  if (process.env.ATHENA_E2E_EXTERNAL_STACK === "1") return { stack: STACK, stop: async () => {} };

  const running = await startDevstack([
    { app: "hera", domain: "iam" },
    { app: "hera", domain: "ciam" },
    { app: "athena", domain: "ciam" },
    { app: "athena", domain: "iam" },
  ]);
  return { stack: STACK, stop: running.stop };
}
