import { z } from "zod";
import type { Domain } from "@olympus/runtime-config/config";

/**
 * What about a person only an administrator may decide lives in Kratos'
 * `metadata_admin`, never in traits: every self-service settings method lets
 * a person edit their own traits, and no self-service method writes
 * metadata. Authorization and business decisions read these keys only.
 */

/** Athena's roles, in increasing power: `viewer` reads, `admin` also writes. */
export const IAM_ADMIN_ROLES = ["viewer", "admin"] as const;
export type IamAdminRole = (typeof IAM_ADMIN_ROLES)[number];

export const LOYALTY_TIERS = ["standard", "silver", "gold", "platinum"] as const;
export type LoyaltyTier = (typeof LOYALTY_TIERS)[number];

/** `metadata_admin` of an IAM employee: the Athena role, when they have one. Other keys are the operators' own. */
export const iamAdminMetadata = z.looseObject({
  iam_admin_role: z.enum(IAM_ADMIN_ROLES).optional(),
});

/** `metadata_admin` of a CIAM customer: business attributes the customer must not set (formerly traits, same rules). */
export const customerAdminMetadata = z.looseObject({
  customer_id: z
    .string()
    .regex(/^[A-Z0-9-]{4,32}$/, "must be 4 to 32 capital letters, digits or dashes")
    .optional(),
  loyalty_tier: z.enum(LOYALTY_TIERS).optional(),
});

/**
 * The keys per domain that earlier schema versions had as traits and that
 * now belong to `metadata_admin` (see moveAdminOnlyTraits). They must never
 * come back as traits: platform checks refuse a schema declaring them.
 */
export const ADMIN_ONLY_KEYS: Readonly<Record<Domain, readonly string[]>> = {
  iam: ["iam_admin_role"],
  ciam: ["customer_id", "loyalty_tier"],
};

/**
 * The Athena role an IAM identity's `metadata_admin` grants, if any. An
 * unknown value grants nothing.
 */
export function iamAdminRoleOf(metadataAdmin: unknown): IamAdminRole | undefined {
  const parsed = iamAdminMetadata.safeParse(metadataAdmin ?? {});
  return parsed.success ? parsed.data.iam_admin_role : undefined;
}
