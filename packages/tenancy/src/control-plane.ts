import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { readTenantSecrets } from "./embedded/files";
import { CONTROL_PLANE_SCOPE, CONTROL_PLANE_SECRET_VARIABLE, controlPlaneClientId } from "./embedded/render";
import { portBlock } from "./ports";
import { hasIam, type Tenant } from "./tenant";

/*
 * The control plane: lists tenants and calls a tenant's Athena admin API.
 * Its own login (an operator token, kept as a hash in the tenants root) opens
 * the control plane only — it is accepted by no tenant. Each call into a
 * tenant uses that tenant's own machine client at that tenant's own IAM Hydra
 * (secret in that tenant's .env only), so there is no credential for all tenants.
 */

export const CONTROL_PLANE_FILE = "control-plane.json";
export const CONTROL_PLANE_TOKEN_VARIABLE = "OLYMPUS_CONTROL_PLANE_TOKEN";
const fileSchema = z.object({ version: z.literal(1), tokenSha256: z.string().regex(/^[0-9a-f]{64}$/), createdAt: z.string() });

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** A new operator token (printed once); only its SHA-256 is stored, mode 600. */
export async function initControlPlane(root: string, now = new Date()): Promise<string> {
  const token = `ocp_${randomBytes(32).toString("base64url")}`;
  const file = join(root, CONTROL_PLANE_FILE);
  const temporary = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(
    temporary,
    `${JSON.stringify({ version: 1, tokenSha256: digest(token).toString("hex"), createdAt: now.toISOString() })}\n`,
    {
      mode: 0o600,
    },
  );
  await rename(temporary, file);
  return token;
}

export type ControlPlaneAuth = "ok" | "not initialised" | "no token" | "wrong token";

export async function checkControlPlaneToken(root: string, token: string | undefined): Promise<ControlPlaneAuth> {
  let stored;
  try {
    stored = fileSchema.parse(JSON.parse(await readFile(join(root, CONTROL_PLANE_FILE), "utf8")));
  } catch {
    return "not initialised";
  }
  if (!token) return "no token";
  return timingSafeEqual(digest(token), Buffer.from(stored.tokenSha256, "hex")) ? "ok" : "wrong token";
}

export class ControlPlaneError extends Error {
  override name = "ControlPlaneError";
}

/** A token of this tenant's machine client, from this tenant's IAM Hydra: scoped, at most five minutes. */
export async function tenantMachineToken(root: string, tenant: Tenant, fetcher: typeof fetch = fetch): Promise<string> {
  const secret = (await readTenantSecrets(join(root, tenant.name)))[CONTROL_PLANE_SECRET_VARIABLE];
  if (!secret) throw new ControlPlaneError(`tenant ${tenant.name} has no machine client (created before the control plane existed)`);
  const response = await fetcher(`http://127.0.0.1:${portBlock(tenant.slot).iam.hydraPublic}/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${controlPlaneClientId(tenant)}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: CONTROL_PLANE_SCOPE }).toString(),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new ControlPlaneError(`tenant ${tenant.name}'s IAM Hydra refused the machine client: HTTP ${response.status}`);
  const body = (await response.json()) as { access_token?: unknown };
  if (typeof body.access_token !== "string") throw new ControlPlaneError(`tenant ${tenant.name}'s IAM Hydra answered no access token`);
  return body.access_token;
}

const adminsSchema = z.object({ admins: z.array(z.object({ id: z.string(), email: z.string().nullable(), role: z.string() })) });
export type TenantAdmin = z.infer<typeof adminsSchema>["admins"][number];

/** GET /api/machine/admins at the tenant's Athena IAM, with the tenant's own machine token. */
export async function listTenantAdmins(root: string, tenant: Tenant, fetcher: typeof fetch = fetch): Promise<TenantAdmin[]> {
  if (!hasIam(tenant))
    throw new ControlPlaneError(`${tenant.name} is CIAM only: its Athena's admins sign in at the operator's IAM, not at a tenant IAM`);
  // Embedded and Compose tenants answer on this host's loopback at their block ports; a Kubernetes tenant's
  // services are in its cluster (its bootstrap Job registers the client; the control plane does not reach it from here).
  if (tenant.target === "k8s")
    throw new ControlPlaneError(`${tenant.name} is a k8s tenant: the control plane reaches tenants on this host (embedded, compose)`);
  const token = await tenantMachineToken(root, tenant, fetcher);
  const response = await fetcher(`http://127.0.0.1:${portBlock(tenant.slot).iam.athena}/api/machine/admins`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new ControlPlaneError(`tenant ${tenant.name}'s Athena IAM answered HTTP ${response.status}`);
  return adminsSchema.parse(await response.json()).admins;
}
