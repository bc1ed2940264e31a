import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_DIGEST_KEY } from "@olympus/ory-client/bootstrap";
import { freePort } from "@olympus/test-postgres";
import { CLIENT_SECRETS, clientsFileCopy } from "../testing/clients-file";
import { startTestIamStack, type TestIamStack } from "../testing/iam-stack";
import { olympus } from "../testing/run";

const ADMIN = "first.admin@example.com";

interface AdminJson {
  email: string;
  identityId: string;
  role: string;
  outcome: string;
  changes: string[];
  active: boolean;
  invitation: { link: string; code: string; expiresAt: string; delivery: string } | null;
  notes: string[];
}
interface ClientJson {
  hydra: string;
  clientId: string;
  outcome: string;
  changes: string[];
}

describe("olympus bootstrap against a fresh embedded IAM stack", () => {
  let stack: TestIamStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestIamStack();
    env = {
      ...stack.env,
      ...CLIENT_SECRETS,
      OLYMPUS_ADMIN_EMAIL: ADMIN,
      OLYMPUS_ADMIN_NAME: "First Admin",
      OLYMPUS_DOMAIN: "example.com",
      OLYMPUS_CLIENTS_FILE: clientsFileCopy(),
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const bootstrap = async (extraEnv: Record<string, string | undefined> = {}, args: string[] = []) => {
    const run = await olympus(["bootstrap", "--json", ...args], { ...env, ...extraEnv });
    if (run.code !== 0) throw new Error(`bootstrap exited ${run.code}: ${run.stdout}${run.stderr}`);
    const body = run.json() as { ok: boolean; command: string; admin: AdminJson; clients: ClientJson[] };
    return body;
  };
  const identity = async (id: string) => (await stack.admin("kratos", "GET", `/admin/identities/${id}`)).body as Record<string, unknown>;
  const client = async (id: string) => (await stack.admin("hydra", "GET", `/admin/clients/${id}`)).body as Record<string, unknown>;

  it("creates the first admin (role admin in metadata_admin, no password, an invitation) and Athena's two clients", async () => {
    const body = await bootstrap();
    expect(body).toMatchObject({ ok: true, command: "bootstrap" });
    expect(body.admin).toMatchObject({
      email: ADMIN,
      role: "admin",
      outcome: "created",
      active: true,
      invitation: { delivery: "printed" },
    });
    // IAM's recovery page (platform/dev/iam-kratos: Hera IAM) with the code's flow; IAM recovers by code.
    expect(body.admin.invitation?.link).toMatch(/^http:\/\/iam\.localhost:4000\/recovery\?flow=[0-9a-f-]{36}$/);
    expect(body.admin.invitation?.code).toMatch(/^\d{6}$/);
    expect(body.clients).toEqual([
      { hydra: "iam", clientId: "iam-athena-ciam", outcome: "created", changes: ["client"] },
      { hydra: "iam", clientId: "iam-athena-iam", outcome: "created", changes: ["client"] },
    ]);

    const created = await identity(body.admin.identityId);
    expect(created).toMatchObject({
      schema_id: "admin",
      state: "active",
      traits: { email: ADMIN, name: { first: "First", last: "Admin" } },
      metadata_admin: { iam_admin_role: "admin" },
    });
    expect(created.traits).not.toHaveProperty("iam_admin_role");
    const withPassword = (await stack.admin("kratos", "GET", `/admin/identities/${body.admin.identityId}?include_credential=password`))
      .body as { credentials?: { password?: { config?: unknown } } };
    expect(withPassword.credentials?.password?.config ?? {}).not.toHaveProperty("hashed_password");

    for (const [id, domain] of [
      ["iam-athena-ciam", "ciam"],
      ["iam-athena-iam", "iam"],
    ] as const) {
      const registered = await client(id);
      expect(registered).toMatchObject({
        client_id: id,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        scope: "openid offline_access email profile",
        token_endpoint_auth_method: "client_secret_basic",
        skip_consent: true,
        redirect_uris: [`https://admin.${domain}.example.com/api/auth/callback/olympus-iam`],
        post_logout_redirect_uris: [`https://admin.${domain}.example.com/`],
        metadata: { first_party: true, app: "athena", manages_domain: domain },
      });
      expect(registered).toHaveProperty(["metadata", SECRET_DIGEST_KEY], expect.stringMatching(/^scrypt:[0-9a-f]{64}$/));
    }
  });

  it("reports everything unchanged on a second run, and makes no new invitation", async () => {
    const body = await bootstrap();
    expect(body.admin).toMatchObject({ outcome: "unchanged", changes: [], invitation: null });
    expect(body.clients.map((c) => c.outcome)).toEqual(["unchanged", "unchanged"]);
    const human = await olympus(["bootstrap"], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/IAM admin first\.admin@example\.com: unchanged \(role admin\)/);
    expect(human.stdout).toMatch(/OAuth2 client iam-athena-ciam in IAM Hydra: unchanged/);
    expect(human.stdout).toMatch(/bootstrap: done — everything unchanged/);
    expect(human.stdout).not.toMatch(/invitation/);
  });

  it("repairs drift: a changed redirect URI and a removed role", async () => {
    const first = await bootstrap();
    const stored = await client("iam-athena-iam");
    const changed = await stack.admin("hydra", "PUT", "/admin/clients/iam-athena-iam", {
      ...stored,
      redirect_uris: ["https://admin.iam.example.com/evil/callback"],
    });
    expect(changed.status).toBe(200);
    const patched = await stack.admin("kratos", "PATCH", `/admin/identities/${first.admin.identityId}`, [
      { op: "replace", path: "/metadata_admin", value: { team: "ops" } },
    ]);
    expect(patched.status).toBe(200);

    const repaired = await bootstrap();
    expect(repaired.admin).toMatchObject({ outcome: "updated", changes: ["iam_admin_role"], invitation: null });
    expect(repaired.clients).toEqual([
      { hydra: "iam", clientId: "iam-athena-ciam", outcome: "unchanged", changes: [] },
      { hydra: "iam", clientId: "iam-athena-iam", outcome: "updated", changes: ["redirect_uris"] },
    ]);
    expect((await client("iam-athena-iam")).redirect_uris).toEqual(["https://admin.iam.example.com/api/auth/callback/olympus-iam"]);
    // The role is back; metadata an operator added is kept.
    expect((await identity(first.admin.identityId)).metadata_admin).toEqual({ team: "ops", iam_admin_role: "admin" });

    const again = await bootstrap();
    expect([again.admin.outcome, ...again.clients.map((c) => c.outcome)]).toEqual(["unchanged", "unchanged", "unchanged"]);
  });

  it("replaces a client's secret when the environment's changed, so the Athena given it can authenticate", async () => {
    const rotated = "rotated-iam-athena-secret-5b7d9f1e3a";
    const body = await bootstrap({ IAM_ATHENA_CLIENT_SECRET: rotated });
    expect(body.clients.find((c) => c.clientId === "iam-athena-iam")).toMatchObject({ outcome: "updated", changes: ["client_secret"] });
    // Hydra authenticates the client before it looks at the grant: invalid_grant means the secret was right.
    const tokenWith = async (secret: string) => {
      const hydraPublic = stack.hydra.publicUrl.replace(/\/$/, "");
      const response = await fetch(`${hydraPublic}/oauth2/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`iam-athena-iam:${secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "not-a-refresh-token" }),
      });
      return ((await response.json()) as { error?: string }).error;
    };
    expect(await tokenWith(rotated)).toBe("invalid_grant");
    expect(await tokenWith(CLIENT_SECRETS.IAM_ATHENA_CLIENT_SECRET)).toBe("invalid_client");
    expect((await bootstrap({ IAM_ATHENA_CLIENT_SECRET: rotated })).clients.map((c) => c.outcome)).toEqual(["unchanged", "unchanged"]);
    await bootstrap(); // back to the file's secret for the other tests
  });

  it("leaves a deactivated admin deactivated (and says so), but still restores the role", async () => {
    const { admin } = await bootstrap();
    await stack.admin("kratos", "PATCH", `/admin/identities/${admin.identityId}`, [
      { op: "replace", path: "/state", value: "inactive" },
      { op: "replace", path: "/metadata_admin", value: { iam_admin_role: "viewer" } },
    ]);
    const body = await bootstrap({}, ["--invite"]);
    expect(body.admin).toMatchObject({ outcome: "updated", changes: ["iam_admin_role"], active: false, invitation: null });
    expect(body.admin.notes.join(" ")).toMatch(/deactivated and was left so/);
    expect((await identity(admin.identityId)).state).toBe("inactive");
    await stack.admin("kratos", "PATCH", `/admin/identities/${admin.identityId}`, [{ op: "replace", path: "/state", value: "active" }]);
  });

  it("makes a fresh invitation for an existing admin with --invite", async () => {
    const body = await bootstrap({}, ["--invite", "--expires-in", "2h"]);
    expect(body.admin.outcome).toBe("unchanged");
    expect(body.admin.invitation?.code).toMatch(/^\d{6}$/);
    const expires = Date.parse(body.admin.invitation?.expiresAt ?? "");
    expect(expires - Date.now()).toBeGreaterThan(110 * 60_000);
    expect(expires - Date.now()).toBeLessThan(121 * 60_000);
  });

  it("sends the admin API token: without it the admin API refuses, and the error names the variable", async () => {
    const run = await olympus(["bootstrap", "--json"], { ...env, IAM_ADMIN_API_TOKEN: undefined });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ ok: false, command: "bootstrap", error: { code: "unauthorized" } });
    expect((run.json().error as { message: string }).message).toMatch(
      /IAM Kratos admin API refused GET \/admin\/identities \(401\).*set IAM_ADMIN_API_TOKEN/,
    );
  });

  it("waits for the admin APIs and gives up with one line naming the URL and the variable", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await olympus(["bootstrap", "--wait", "1"], { ...env, IAM_HYDRA_ADMIN_URL: closed });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/waiting for the IAM Hydra admin API/);
    expect(run.stderr).toMatch(
      new RegExp(
        `olympus: IAM Hydra admin API is not ready at ${closed}/health/ready after 1 s \\(no answer\\); check that it runs and that IAM_HYDRA_ADMIN_URL points at it`,
      ),
    );
  });
});
