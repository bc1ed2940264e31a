import { iamAdminRoleOf } from "@olympus/sdk/identity";
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
    metadata_public: z.unknown().optional(),
    metadata_admin: z.unknown().optional(),
  })
  .loose();

export type SeedOutcome = "created" | "updated" | "unchanged";

export const ADMIN_SCHEMA_ID = "admin";

/**
 * Ensures the IAM admin identity exists (schema `admin`, Athena role `admin`
 * in metadata_admin, where only the admin API can put it). An existing
 * identity keeps its password — someone may have changed it through the
 * settings flow — and its other metadata, but gets its role back if it lost it.
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
        traits: { email: admin.email, name: ADMIN_NAME },
        metadata_admin: { iam_admin_role: "admin" },
        credentials: { password: { config: { password: admin.password } } },
        verifiable_addresses: [{ value: admin.email, via: "email", verified: true, status: "completed" }],
      },
      accept: [201],
    });
    return "created";
  }
  if (existing.schema_id === ADMIN_SCHEMA_ID && iamAdminRoleOf(existing.metadata_admin) === "admin" && existing.state !== "inactive") return "unchanged";
  const metadataAdmin = z.record(z.string(), z.unknown()).catch({}).parse(existing.metadata_admin);
  await callJson("PUT", `${base}/admin/identities/${existing.id}`, identity, {
    body: {
      schema_id: ADMIN_SCHEMA_ID,
      state: "active",
      traits: existing.traits,
      metadata_public: existing.metadata_public ?? null,
      metadata_admin: { ...metadataAdmin, iam_admin_role: "admin" },
    },
  });
  return "updated";
}
