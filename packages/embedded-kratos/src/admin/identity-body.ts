import { z } from "zod";

/** Request bodies of the admin identity endpoints (createIdentityBody / updateIdentityBody). */
const passwordConfig = z
  .object({
    password: z.string().optional(),
    hashed_password: z.string().optional(),
    use_password_migration_hook: z.boolean().optional(),
  })
  .strict();

const credentialsSchema = z
  .object({
    password: z.object({ config: passwordConfig.optional() }).optional(),
    oidc: z
      .object({ config: z.object({ providers: z.array(z.object({ provider: z.string(), subject: z.string() }).loose()) }).loose().optional() })
      .optional(),
  })
  .loose();

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID");

export const createIdentityBody = z.object({
  schema_id: z.string().min(1),
  traits: z.record(z.string(), z.unknown()),
  state: z.enum(["active", "inactive"]).optional(),
  metadata_public: z.unknown().optional(),
  metadata_admin: z.unknown().optional(),
  external_id: z.string().optional(),
  organization_id: uuid.nullable().optional(),
  credentials: credentialsSchema.optional(),
  verifiable_addresses: z
    .array(
      z
        .object({
          value: z.string(),
          via: z.string().optional(),
          verified: z.boolean().optional(),
          status: z.enum(["pending", "sent", "completed"]).optional(),
        })
        .loose(),
    )
    .optional(),
  recovery_addresses: z.array(z.object({ value: z.string(), via: z.string().optional() }).loose()).optional(),
});

export const updateIdentityBody = z.object({
  schema_id: z.string().min(1).optional(),
  traits: z.record(z.string(), z.unknown()),
  state: z.enum(["active", "inactive"]).optional(),
  metadata_public: z.unknown().optional(),
  metadata_admin: z.unknown().optional(),
  external_id: z.string().optional(),
  credentials: credentialsSchema.optional(),
});

export const jsonPatchBody = z.array(
  z.object({
    op: z.enum(["add", "remove", "replace", "move", "copy", "test"]),
    path: z.string(),
    value: z.unknown().optional(),
    from: z.string().optional(),
  }),
);

export type CreateIdentityBody = z.infer<typeof createIdentityBody>;
export type UpdateIdentityBody = z.infer<typeof updateIdentityBody>;

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
