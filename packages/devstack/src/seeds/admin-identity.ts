import { z } from "zod";
import type { AdminLogin } from "../options";
import { ADMIN_NAME } from "./dev-seeds";
import { callJson } from "./http";

const identity = z
  .object({
    id: z.string(),
    schema_id: z.string(),
    state: z.string().optional(),
    traits: z.record(z.string(), z.unknown()),
  })
  .loose();

export type SeedOutcome = "created" | "updated" | "unchanged";

export const ADMIN_SCHEMA_ID = "admin";

/**
 * Ensures the IAM admin identity exists (schema `admin`, iam_admin_role
 * "admin"). An existing identity keeps its password — someone may have
 * changed it through the settings flow — but gets its role back if it lost it.
 */
export async function seedAdminIdentity(kratosAdminUrl: string, admin: AdminLogin): Promise<SeedOutcome> {
  const base = kratosAdminUrl.replace(/\/$/, "");
  const found = await callJson("GET", `${base}/admin/identities?credentials_identifier=${encodeURIComponent(admin.email)}`, z.array(identity));
  const existing = found.body?.[0];
  if (!existing) {
    await callJson("POST", `${base}/admin/identities`, identity, {
      body: {
        schema_id: ADMIN_SCHEMA_ID,
        state: "active",
        traits: { email: admin.email, name: ADMIN_NAME, iam_admin_role: "admin" },
        credentials: { password: { config: { password: admin.password } } },
        verifiable_addresses: [{ value: admin.email, via: "email", verified: true, status: "completed" }],
      },
      accept: [201],
    });
    return "created";
  }
  if (existing.schema_id === ADMIN_SCHEMA_ID && existing.traits.iam_admin_role === "admin" && existing.state !== "inactive") return "unchanged";
  await callJson("PUT", `${base}/admin/identities/${existing.id}`, identity, {
    body: { schema_id: ADMIN_SCHEMA_ID, state: "active", traits: { ...existing.traits, iam_admin_role: "admin" } },
  });
  return "updated";
}
