/**
 * What the fault runs' simulated users and clients do against a running dev
 * stack, over loopback only: customers register and sign in on CIAM Kratos
 * (API mode, as a native app does), the seeded admin signs in on IAM Kratos,
 * machine clients get client_credentials tokens from both Hydras, and an
 * operator registers OAuth2 clients in CIAM Hydra. Each step tells the
 * recorder which statuses it expects; everything acknowledged is remembered
 * so the run can check afterwards that it still exists, exactly once.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { EMBEDDED_ADMIN_API_TOKEN } from "../embedded-defaults";
import { adminAuthorization, adminUrl, type AdminApi } from "../ory/admin-api";
import type { AdminLogin, DevstackPorts } from "../options";
import type { LoadRecorder } from "./recorder";

export interface StackEndpoints {
  ciamKratosPublic: string;
  ciamKratosAdmin: AdminApi;
  iamKratosPublic: string;
  ciamHydraPublic: string;
  ciamHydraAdmin: AdminApi;
  iamHydraPublic: string;
  iamHydraAdmin: AdminApi;
}

/** A dev stack's endpoints on `ports`; its admin APIs require the domain's dev token, as the stack starts them. */
export function stackEndpoints(ports: DevstackPorts): StackEndpoints {
  const at = (port: number) => `http://127.0.0.1:${port}`;
  return {
    ciamKratosPublic: at(ports.ciam.kratosPublic),
    ciamKratosAdmin: { url: at(ports.ciam.kratosAdmin), token: EMBEDDED_ADMIN_API_TOKEN.ciam },
    iamKratosPublic: at(ports.iam.kratosPublic),
    ciamHydraPublic: at(ports.ciam.hydraPublic),
    ciamHydraAdmin: { url: at(ports.ciam.hydraAdmin), token: EMBEDDED_ADMIN_API_TOKEN.ciam },
    iamHydraPublic: at(ports.iam.hydraPublic),
    iamHydraAdmin: { url: at(ports.iam.hydraAdmin), token: EMBEDDED_ADMIN_API_TOKEN.iam },
  };
}

export interface Customer {
  email: string;
  password: string;
  identityId: string;
}

export interface MachineClient {
  clientId: string;
  clientSecret: string;
}

/** What the journeys share: where to go, whom to sign in as, and what the servers acknowledged. */
export interface JourneyContext {
  endpoints: StackEndpoints;
  recorder: LoadRecorder;
  admin: AdminLogin;
  machineClients: { ciam: MachineClient; iam: MachineClient };
  /** Registrations answered 200: each must exist exactly once afterwards. */
  customers: Customer[];
  /** OAuth2 clients answered 201, by id → client_name. */
  registeredClients: Map<string, string>;
}

export type Journey = (context: JourneyContext, client: VirtualClient) => Promise<void>;

/**
 * One simulated user agent. Each sends its own X-Forwarded-For from a
 * documentation range (Kratos trusts loopback as a proxy, as behind Hera or
 * Caddy): the per-IP abuse limits then see many clients, as in real life,
 * rather than the whole load as one address.
 */
export class VirtualClient {
  private sequence = 0;
  constructor(readonly index: number) {}

  /** A new client address for each registration or sign-in, cycling through 198.51.100.0/24 and 203.0.113.0/24. */
  nextAddress(): string {
    const n = this.index * 7919 + this.sequence++;
    return `${n % 2 === 0 ? "198.51.100" : "203.0.113"}.${(n % 250) + 1}`;
  }
}

const flowId = z.object({ id: z.string() });
const registered = z.object({ identity: z.object({ id: z.string() }) });
const createdClient = z.object({ client_id: z.string(), client_name: z.string() });

const json = (address: string) => ({ "content-type": "application/json", accept: "application/json", "x-forwarded-for": address });

/** Opens an API-mode self-service flow; undefined when the server said "later" or something went wrong. */
async function openFlow(context: JourneyContext, step: string, url: string, address: string): Promise<string | undefined> {
  const response = await context.recorder.call(step, url, { expect: [200], init: { headers: json(address) } });
  if (response?.status !== 200) {
    await response?.body?.cancel();
    return undefined;
  }
  return parseOrReport(context, step, flowId, await response.json())?.id;
}

export const registerCustomer: Journey = async (context, client) => {
  const address = client.nextAddress();
  const base = context.endpoints.ciamKratosPublic;
  const flow = await openFlow(context, "CIAM registration flow", `${base}/self-service/registration/api`, address);
  if (!flow) return;
  const email = `fault-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}@example.com`;
  const password = `resilient-${randomBytes(6).toString("hex")}`;
  const response = await context.recorder.call("CIAM registration", `${base}/self-service/registration?flow=${flow}`, {
    expect: [200],
    init: {
      method: "POST",
      headers: json(address),
      body: JSON.stringify({ method: "password", password, traits: { email, name: { first: "Fault", last: "Run" } } }),
    },
  });
  if (response?.status !== 200) return void (await response?.body?.cancel());
  const body = parseOrReport(context, "CIAM registration", registered, await response.json());
  if (body) context.customers.push({ email, password, identityId: body.identity.id });
};

export const signInCustomer: Journey = async (context, client) => {
  const customer = context.customers[Math.floor(Math.random() * context.customers.length)];
  if (!customer) return registerCustomer(context, client);
  await passwordLogin(context, "CIAM sign-in", context.endpoints.ciamKratosPublic, customer.email, customer.password, client.nextAddress());
};

export const signInAdmin: Journey = async (context, client) => {
  await passwordLogin(
    context,
    "IAM sign-in",
    context.endpoints.iamKratosPublic,
    context.admin.email,
    context.admin.password,
    client.nextAddress(),
  );
};

async function passwordLogin(
  context: JourneyContext,
  step: string,
  base: string,
  identifier: string,
  password: string,
  address: string,
): Promise<void> {
  const flow = await openFlow(context, `${step} flow`, `${base}/self-service/login/api`, address);
  if (!flow) return;
  // A 400 would mean Kratos no longer knows a password it accepted: a lost record.
  const response = await context.recorder.call(step, `${base}/self-service/login?flow=${flow}`, {
    expect: [200],
    init: { method: "POST", headers: json(address), body: JSON.stringify({ method: "password", identifier, password }) },
  });
  await response?.body?.cancel();
}

/** Asks CIAM Kratos for a recovery code for `email` (API mode); the mail is queued for the courier. */
export async function requestRecoveryCode(context: JourneyContext, email: string, client: VirtualClient): Promise<void> {
  const address = client.nextAddress();
  const base = context.endpoints.ciamKratosPublic;
  const flow = await openFlow(context, "CIAM recovery flow", `${base}/self-service/recovery/api`, address);
  if (!flow) return;
  const response = await context.recorder.call("CIAM recovery", `${base}/self-service/recovery?flow=${flow}`, {
    expect: [200],
    init: { method: "POST", headers: json(address), body: JSON.stringify({ method: "code", email }) },
  });
  await response?.body?.cancel();
}

export function clientCredentials(domain: "ciam" | "iam"): Journey {
  return async (context) => {
    const { clientId, clientSecret } = context.machineClients[domain];
    const base = domain === "ciam" ? context.endpoints.ciamHydraPublic : context.endpoints.iamHydraPublic;
    const response = await context.recorder.call(`${domain.toUpperCase()} client_credentials`, `${base}/oauth2/token`, {
      expect: [200],
      init: {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      },
    });
    await response?.body?.cancel();
  };
}

export const registerClient: Journey = async (context) => {
  const name = `fault-client-${randomBytes(6).toString("hex")}`;
  const hydraAdmin = context.endpoints.ciamHydraAdmin;
  const response = await context.recorder.call("CIAM client registration", adminUrl(hydraAdmin, "/admin/clients"), {
    expect: [201],
    init: {
      method: "POST",
      headers: { ...json("127.0.0.1"), ...adminAuthorization(hydraAdmin) },
      body: JSON.stringify({ client_name: name, grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_basic" }),
    },
  });
  if (response?.status !== 201) return void (await response?.body?.cancel());
  const body = parseOrReport(context, "CIAM client registration", createdClient, await response.json());
  if (body) context.registeredClients.set(body.client_id, body.client_name);
};

/** Creates a client_credentials client before the load (not under it: this one must exist). */
export async function createMachineClient(hydraAdmin: AdminApi): Promise<MachineClient> {
  const clientSecret = randomBytes(24).toString("hex");
  const response = await fetch(adminUrl(hydraAdmin, "/admin/clients"), {
    method: "POST",
    headers: { "content-type": "application/json", ...adminAuthorization(hydraAdmin) },
    body: JSON.stringify({
      client_name: "fault-run machine client",
      client_secret: clientSecret,
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "client_secret_basic",
    }),
  });
  if (response.status !== 201)
    throw new Error(`creating a machine client at ${hydraAdmin.url} answered ${response.status}: ${await response.text()}`);
  return { clientId: createdClient.parse(await response.json()).client_id, clientSecret };
}

function parseOrReport<T>(context: JourneyContext, step: string, schema: z.ZodType<T>, body: unknown): T | undefined {
  const parsed = schema.safeParse(body);
  if (!parsed.success) context.recorder.problem(`${step}: unexpected body (${parsed.error.issues[0]?.message ?? "invalid"})`);
  return parsed.success ? parsed.data : undefined;
}
