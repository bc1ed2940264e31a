import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CONTROL_PLANE_SCOPE,
  CONTROL_PLANE_SECRET_VARIABLE,
  controlPlaneClientId,
  MACHINE_CLIENT_ID_VARIABLE,
  parseEnvFile,
} from "@olympus/tenancy";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIamStack, type TestIamStack } from "../testing/iam-stack";
import { olympus } from "../testing/run";

/*
 * A Compose tenant's bootstrap registers the control plane's machine client
 * at the tenant's own IAM Hydra, as the embedded supervisor does: the tenant's
 * own generated files (oauth2-clients.yml, .env) fed to the same `olympus
 * bootstrap` the iam-bootstrap service runs, against a real (embedded) IAM.
 */
describe("a Compose tenant's machine client for the control plane", () => {
  let stack: TestIamStack;
  let dir: string;
  let tenantEnv: Record<string, string>;

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), "olympus-tenants-"));
    const created = await olympus(["tenant", "create", "acme", "--domain", "example.com", "--root", root], {});
    expect(created.code, created.stderr).toBe(0);
    dir = join(root, "acme");
    tenantEnv = parseEnvFile(await readFile(join(dir, ".env"), "utf8"));
    stack = await startTestIamStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const token = (clientId: string, secret: string) =>
    fetch(new URL("oauth2/token", stack.hydra.publicUrl), {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: CONTROL_PLANE_SCOPE }).toString(),
    });

  it("is named in the tenant's files: its secret in .env, its id in Athena IAM's environment and the bootstrap's", async () => {
    const clientId = controlPlaneClientId({ name: "acme" });
    expect(tenantEnv[CONTROL_PLANE_SECRET_VARIABLE]).toMatch(/^[0-9a-f]{48}$/);
    const compose = parse(await readFile(join(dir, "compose.yml"), "utf8")) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    expect(compose.services["iam-athena"]?.environment?.[MACHINE_CLIENT_ID_VARIABLE]).toBe(clientId);
    expect(compose.services["ciam-athena"]?.environment?.[MACHINE_CLIENT_ID_VARIABLE]).toBeUndefined();
    expect(compose.services["iam-bootstrap"]?.environment?.[CONTROL_PLANE_SECRET_VARIABLE]).toBe(
      `\${${CONTROL_PLANE_SECRET_VARIABLE}:?set ${CONTROL_PLANE_SECRET_VARIABLE}}`,
    );
  });

  it("is registered by the bootstrap from the tenant's files: client_credentials, one scope, five-minute tokens; other secrets refused", async () => {
    const clientId = controlPlaneClientId({ name: "acme" });
    const run = await olympus(["bootstrap", "--json"], {
      ...stack.env,
      ...tenantEnv,
      OLYMPUS_ADMIN_EMAIL: "first.admin@example.com",
      OLYMPUS_CLIENTS_FILE: join(dir, "oauth2-clients.yml"),
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const clients = (run.json() as { clients: { clientId: string; outcome: string }[] }).clients;
    expect(clients).toContainEqual({ hydra: "iam", clientId, outcome: "created", changes: ["client"] });

    const issued = await token(clientId, tenantEnv[CONTROL_PLANE_SECRET_VARIABLE] ?? "");
    expect(issued.status).toBe(200);
    const body = (await issued.json()) as { scope: string; expires_in: number };
    expect(body.scope).toBe(CONTROL_PLANE_SCOPE);
    expect(body.expires_in).toBeLessThanOrEqual(300);
    // Broken on purpose: another tenant's (any other) secret gets no token.
    expect((await token(clientId, tenantEnv.IAM_ATHENA_CLIENT_SECRET ?? "")).status).toBe(401);

    // A second run finds nothing to repair: the lifespan Hydra answers ("5m0s") is the file's "5m".
    const again = await olympus(["bootstrap", "--json"], {
      ...stack.env,
      ...tenantEnv,
      OLYMPUS_ADMIN_EMAIL: "first.admin@example.com",
      OLYMPUS_CLIENTS_FILE: join(dir, "oauth2-clients.yml"),
    });
    expect((again.json() as { clients: { clientId: string; outcome: string }[] }).clients).toContainEqual(
      expect.objectContaining({ clientId, outcome: "unchanged" }),
    );
  });
});
