import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFiles } from "../generate";
import { portBlock } from "../ports";
import { readRegistry, withTenant, writeRegistry } from "../registry";
import { generateSecrets, type TenantSecrets } from "../secrets";
import { tenantSchema, type Tenant } from "../tenant";
import { parse } from "yaml";
import { operatorIssuer, tenantAppEnv } from "./app-env";
import { canLogIn, caddyLeaks, cookieLeaks, foreignAddresses, parseSetCookie, renderCaddyBlock } from "./checks";
import { browserRequest, cookieHeader, signUpThroughHera } from "./browser";
import { embeddedFiles, operatorIamClientEntry } from "./create";
import { startEmbeddedTenant, stopEmbeddedTenant } from "./control";
import { readTenantSecrets } from "./files";
import { unbuiltApps } from "./repository";
import {
  adminApiToken,
  appOrigin,
  controlPlaneClientId,
  CONTROL_PLANE_SCOPE,
  CONTROL_PLANE_SECRET_VARIABLE,
  EMBEDDED_ROLES,
  roleUrl,
} from "./render";
import { authorizeMachine, hydraIntrospection } from "../../../../apps/athena/features/machine-api/machine-auth";

/*
 * Two embedded tenants, each on its own Postgres, Kratos and Hydra, and the
 * guarantees that keep them apart — each with a companion that breaks the
 * guarantee on purpose and shows the same check catches it. Slots far from
 * 0 so a developer's own tenants (slot 0, 1, …) are not in the way.
 */

const SLOTS = { acme: 150, globex: 151 } as const;
type Name = keyof typeof SLOTS;
// A third tenant, CIAM only (--domains ciam), started without apps beside the pair.
const CIAM_ONLY_SLOT = 152;
let initech: Tenant;

let root: string;
const tenants = {} as Record<Name, Tenant>;
const secrets = {} as Record<Name, TenantSecrets>;

async function register(name: Name): Promise<void> {
  tenants[name] = await registerTenant(name, SLOTS[name], ["ciam", "iam"]);
  secrets[name] = await readTenantSecrets(join(root, name));
}

async function registerTenant(name: string, slot: number, domains: Tenant["domains"]): Promise<Tenant> {
  const tenant = tenantSchema.parse({
    name,
    domains,
    parentDomain: "localhost",
    slot,
    target: "embedded",
    version: "0.1.0",
    createdAt: new Date().toISOString(),
  });
  await writeRegistry(root, withTenant(await readRegistry(root), tenant));
  await writeFiles(join(root, name), embeddedFiles(tenant, generateSecrets(tenant.domains)));
  return tenant;
}

const hydra = (name: Name, port: "hydraPublic" | "hydraAdmin") => `http://127.0.0.1:${portBlock(SLOTS[name]).iam[port]}`;
const adminHeaders = (name: Name) => ({ authorization: `Bearer ${adminApiToken(secrets[name], "iam")}` });

async function clientCredentialsToken(name: Name, clientId: string, secret: string, scope = CONTROL_PLANE_SCOPE): Promise<Response> {
  return fetch(`${hydra(name, "hydraPublic")}/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
  });
}

async function introspect(name: Name, token: string): Promise<{ active: boolean; client_id?: string }> {
  return hydraIntrospection(hydra(name, "hydraAdmin"), adminApiToken(secrets[name], "iam"))(token);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "olympus-two-tenants-"));
  await register("acme");
  await register("globex");
  initech = await registerTenant("initech", CIAM_ONLY_SLOT, ["ciam"]);
  // One app per tenant, Hera CIAM, so a real session cookie of one tenant's Hera is checked live against the other's.
  const missing = unbuiltApps().filter((app) => app === "hera");
  if (missing.length > 0) throw new Error("the isolation suite runs each tenant's Hera CIAM: npm run build -w @olympus/hera first");
  const started = await Promise.all([
    ...(["acme", "globex"] as const).map((name) => startEmbeddedTenant(root, name, { apps: ["ciam-hera"], timeoutMs: 180_000 })),
    startEmbeddedTenant(root, initech.name, { apps: false, timeoutMs: 180_000 }),
  ]);
  for (const state of started) {
    expect(state.status, state.notes.join("; ")).toBe("ready");
    expect(state.notes, "Hera CIAM answers").toEqual([]);
  }
}, 240_000);

afterAll(async () => {
  if (!root) return;
  await Promise.all(["acme", "globex", "initech"].map((name) => stopEmbeddedTenant(root, name)));
  await rm(root, { recursive: true, force: true });
}, 120_000);

describe("two embedded tenants", () => {
  it("keep cookies on their own hosts: Kratos' and Hydra's cookies of one are never sent to the other's hosts", async () => {
    const a = portBlock(SLOTS.acme);
    const kratos = await fetch(`http://127.0.0.1:${a.ciam.kratosPublic}/self-service/login/browser`, { redirect: "manual" });
    const hydraAuth = await fetch(
      `http://127.0.0.1:${a.iam.hydraPublic}/oauth2/auth?${new URLSearchParams({
        client_id: "iam-athena-iam",
        response_type: "code",
        scope: "openid",
        redirect_uri: `http://admin.iam.acme.localhost:${a.iam.athena}/api/auth/callback/olympus-iam`,
        state: "state-0123456789",
      }).toString()}`,
      { redirect: "manual" },
    );
    const kratosCookies = kratos.headers.getSetCookie().map(parseSetCookie);
    const hydraCookies = hydraAuth.headers.getSetCookie().map(parseSetCookie);
    expect(kratosCookies.length).toBeGreaterThan(0);
    expect(hydraCookies.length).toBeGreaterThan(0);
    expect(cookieLeaks(kratosCookies, "acme.localhost", tenants.globex)).toEqual([]);
    expect(cookieLeaks(hydraCookies, "iam.acme.localhost", tenants.globex)).toEqual([]);
    // Broken on purpose: a cookie scoped to the parent domain would reach every tenant.
    const broad = kratosCookies.map((cookie) => ({ ...cookie, domain: "localhost" }));
    expect(cookieLeaks(broad, "acme.localhost", tenants.globex)).toContain(`${broad[0]?.name ?? ""} → globex.localhost`);
  });

  it("keep Hera's session on its tenant: acme's real session cookie is host-only on acme's host and refused by globex's Hera", async () => {
    const heraOf = (name: Name) => appOrigin(tenants[name], "ciam", "hera");
    const held = await signUpThroughHera(heraOf("acme"), "customer@acme.example", `pw-${randomUUID()}`);
    const session = held.map(parseSetCookie).filter((cookie) => cookie.name === "ciam_kratos_session");
    expect(session, "the sign-up set Kratos' session cookie through Hera").toHaveLength(1);
    expect(cookieLeaks(session, "acme.localhost", tenants.globex)).toEqual([]);
    // Broken on purpose: the same cookie scoped to the parent domain would be sent to every tenant's hosts.
    expect(cookieLeaks([{ ...session[0], name: "ciam_kratos_session", domain: "localhost" }], "acme.localhost", tenants.globex)).toContain(
      "ciam_kratos_session → globex.localhost",
    );

    // Presented anyway (a browser never would): acme's Hera knows the session, globex's refuses it.
    const cookie = cookieHeader(held);
    const whoami = (name: Name) => browserRequest(heraOf(name), "/.ory/kratos/sessions/whoami", { cookie });
    const own = await whoami("acme");
    expect(own.status).toBe(200);
    expect((JSON.parse(own.body) as { identity: { traits: { email: string } } }).identity.traits.email).toBe("customer@acme.example");
    expect((await whoami("globex")).status).toBe(401);
    // A flow that needs the session, through the same proxy: acme's opens a settings flow for it, globex's refuses it.
    const settings = (name: Name) => browserRequest(heraOf(name), "/.ory/kratos/self-service/settings/browser", { cookie });
    expect((await settings("acme")).status).toBe(200);
    expect((await settings("globex")).status).toBe(401);
  });

  it("keep databases apart: no role of one logs in to the other's Postgres (broken on purpose: a shared password would)", async () => {
    for (const role of EMBEDDED_ROLES) {
      const own = roleUrl(tenants.acme, secrets.acme, role);
      expect(await canLogIn(own), `${role} at its own Postgres`).toBe(true);
      const atOther = own.replace(`:${portBlock(SLOTS.acme).postgres}/`, `:${portBlock(SLOTS.globex).postgres}/`);
      expect(await canLogIn(atOther), `acme's ${role} at globex's Postgres`).toBe(false);
    }
    // Superusers too: each cluster has the tenant's own superuser password.
    const superuser = (name: Name, port: number) => `postgres://postgres:${secrets[name].POSTGRES_PASSWORD}@127.0.0.1:${port}/postgres`;
    expect(await canLogIn(superuser("globex", portBlock(SLOTS.globex).postgres))).toBe(true);
    expect(await canLogIn(superuser("acme", portBlock(SLOTS.globex).postgres))).toBe(false);

    // Broken on purpose: globex's ciam_kratos given acme's password — the same probe now gets in.
    const admin = new pg.Client({ connectionString: superuser("globex", portBlock(SLOTS.globex).postgres) });
    await admin.connect();
    const leaked = roleUrl(tenants.acme, secrets.acme, "ciam_kratos").replace(
      `:${portBlock(SLOTS.acme).postgres}/`,
      `:${portBlock(SLOTS.globex).postgres}/`,
    );
    try {
      await admin.query(`ALTER ROLE ciam_kratos PASSWORD '${secrets.acme.CIAM_KRATOS_DB_PASSWORD ?? ""}'`);
      expect(await canLogIn(leaked)).toBe(true);
    } finally {
      await admin.query(`ALTER ROLE ciam_kratos PASSWORD '${secrets.globex.CIAM_KRATOS_DB_PASSWORD ?? ""}'`);
      await admin.end();
    }
    expect(await canLogIn(leaked)).toBe(false);
  });

  it("keep tokens apart: acme's access token is inactive at globex's introspection, and acme's JWTs fail globex's JWKS", async () => {
    const response = await clientCredentialsToken(
      "acme",
      controlPlaneClientId(tenants.acme),
      secrets.acme[CONTROL_PLANE_SECRET_VARIABLE] ?? "",
    );
    expect(response.status).toBe(200);
    const { access_token: token, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    expect(expiresIn).toBeLessThanOrEqual(300);
    expect(await introspect("acme", token)).toMatchObject({ active: true, client_id: controlPlaneClientId(tenants.acme) });
    expect((await introspect("globex", token)).active).toBe(false);

    // A JWT of acme's Hydra (a test client with JWT access tokens, signed with the key set its ID tokens use too).
    const jwtClient = { client_id: "jwt-probe", client_secret: "jwt-probe-secret-0123456789", grant_types: ["client_credentials"] };
    const created = await fetch(`${hydra("acme", "hydraAdmin")}/admin/clients`, {
      method: "POST",
      headers: { ...adminHeaders("acme"), "content-type": "application/json" },
      body: JSON.stringify({ ...jwtClient, access_token_strategy: "jwt", token_endpoint_auth_method: "client_secret_basic", scope: "" }),
    });
    expect(created.status).toBe(201);
    const jwtResponse = await clientCredentialsToken("acme", jwtClient.client_id, jwtClient.client_secret, "");
    const jwt = ((await jwtResponse.json()) as { access_token: string }).access_token;
    const jwks = async (name: Name) =>
      createLocalJWKSet((await (await fetch(`${hydra(name, "hydraPublic")}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    await expect(jwtVerify(jwt, await jwks("acme"))).resolves.toBeTruthy();
    await expect(jwtVerify(jwt, await jwks("globex"))).rejects.toThrow();
  });

  it("keep OAuth2 clients apart: acme's clients are unknown at globex, and its credentials get no token there", async () => {
    const id = controlPlaneClientId(tenants.acme);
    const at = (name: Name) => fetch(`${hydra(name, "hydraAdmin")}/admin/clients/${id}`, { headers: adminHeaders(name) });
    expect((await at("acme")).status).toBe(200);
    expect((await at("globex")).status).toBe(404);
    expect((await clientCredentialsToken("globex", id, secrets.acme[CONTROL_PLANE_SECRET_VARIABLE] ?? "")).status).toBe(401);
    // Each tenant's admin token opens its own Hydra only.
    const crossed = await fetch(`${hydra("globex", "hydraAdmin")}/admin/clients`, { headers: adminHeaders("acme") });
    expect(crossed.status).toBe(401);
  });

  it("refuses acme's machine token at globex's Athena IAM (its authorization, against globex's live Hydra)", async () => {
    const tokenOf = async (name: Name) =>
      (
        (await (
          await clientCredentialsToken(name, controlPlaneClientId(tenants[name]), secrets[name][CONTROL_PLANE_SECRET_VARIABLE] ?? "")
        ).json()) as { access_token: string }
      ).access_token;
    const rulesOf = (name: Name) => ({ allowedClientId: controlPlaneClientId(tenants[name]), scope: CONTROL_PLANE_SCOPE });
    const globexIntrospection = hydraIntrospection(hydra("globex", "hydraAdmin"), adminApiToken(secrets.globex, "iam"));
    const own = await authorizeMachine(`Bearer ${await tokenOf("globex")}`, rulesOf("globex"), globexIntrospection);
    expect(own).toEqual({ ok: true, clientId: controlPlaneClientId(tenants.globex) });
    const foreign = await authorizeMachine(`Bearer ${await tokenOf("acme")}`, rulesOf("globex"), globexIntrospection);
    expect(foreign).toMatchObject({ ok: false, status: 401 });
  });

  it("name none of the other's admin URLs in their apps' environment or rendered configs", async () => {
    for (const [self, other] of [
      ["acme", "globex"],
      ["globex", "acme"],
    ] as const) {
      const configs = await Promise.all(
        ["ciam-kratos", "ciam-hydra", "iam-kratos", "iam-hydra"].map((id) => readFile(join(root, self, "embedded", `${id}.yml`), "utf8")),
      );
      const envs = (["ciam", "iam"] as const).flatMap((domain) =>
        (["hera", "athena"] as const).map((app) => JSON.stringify(tenantAppEnv(tenants[self], secrets[self], domain, app))),
      );
      for (const text of [...configs, ...envs]) expect(foreignAddresses(text, tenants[other])).toEqual([]);
      // Broken on purpose: the other tenant's own files name its admin URLs, and the check finds them.
      expect(
        foreignAddresses(JSON.stringify(tenantAppEnv(tenants[other], secrets[other], "iam", "athena")), tenants[other]).length,
      ).toBeGreaterThan(0);
    }
  });

  it("route each tenant's hosts only to its own ports in the generated Caddy blocks", async () => {
    for (const name of ["acme", "globex"] as const) {
      const caddyfile = await readFile(join(root, name, "Caddyfile"), "utf8");
      expect(caddyfile).toBe(renderCaddyBlock(tenants[name]));
      expect(caddyLeaks(caddyfile, tenants[name])).toEqual([]);
    }
    // Broken on purpose: globex's block checked as acme's routes elsewhere.
    expect(caddyLeaks(renderCaddyBlock(tenants.globex), tenants.acme).length).toBeGreaterThan(0);
  });

  it("run a CIAM-only tenant: its own Postgres, CIAM Kratos and Hydra, nothing on its IAM ports; its Athena at the operator's IAM", async () => {
    const block = portBlock(CIAM_ONLY_SLOT);
    const answers = async (port: number, path: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) }).then(
        (response) => response.status,
        () => "closed",
      );
    expect(await answers(block.ciam.kratosPublic, "/health/ready")).toBe(200);
    expect(await answers(block.ciam.hydraPublic, "/health/ready")).toBe(200);
    for (const port of [block.iam.kratosPublic, block.iam.kratosAdmin, block.iam.hydraPublic, block.iam.hydraAdmin])
      expect(await answers(port, "/health/alive"), `IAM port ${port}`).toBe("closed");
    const rendered = await readdir(join(root, initech.name, "embedded"));
    expect(rendered.filter((file) => file.endsWith(".yml")).sort()).toEqual(["ciam-hydra.yml", "ciam-kratos.yml"]);

    const own = await readTenantSecrets(join(root, initech.name));
    const athena = tenantAppEnv(initech, own, "ciam", "athena");
    expect(athena.AUTH_ISSUER_URL).toBe(operatorIssuer());
    expect(athena.CIAM_AUTH_CLIENT_ID).toBe("iam-athena-ciam-initech");
    expect(athena.CIAM_AUTH_CLIENT_SECRET).toBe(own.CIAM_ATHENA_CLIENT_SECRET);
    expect(Object.keys(athena).filter((key) => key.startsWith("IAM_"))).toEqual([]);
    // The client the operator registers at its IAM, as the bootstrap's clients file takes it.
    const file = parse(await readFile(join(root, initech.name, "operator-iam-client.yml"), "utf8")) as { iam: Record<string, unknown>[] };
    expect(file.iam).toEqual([operatorIamClientEntry(initech)]);
    expect(file.iam[0]?.redirect_uris).toEqual([`http://admin.initech.localhost:${block.ciam.athena}/api/auth/callback/olympus-iam`]);
    // Its isolation from the pair: none of acme's addresses in its configs or environment.
    const configs = await Promise.all(rendered.map((f) => readFile(join(root, initech.name, "embedded", f), "utf8")));
    for (const text of [...configs, JSON.stringify(athena)]) expect(foreignAddresses(text, tenants.acme)).toEqual([]);
  });
});
