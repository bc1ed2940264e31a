import { z } from "zod";
import type { Domain } from "@olympus/runtime-config/config";
import { iamAdminRoleOf } from "../identity/admin-metadata";

/** The parts of a Kratos identity (as the admin API returns it) the ID token is built from. */
export interface ClaimSource {
  traits: unknown;
  /** Only an administrator writes it; the one place an authorization claim may come from. */
  metadata_admin?: unknown;
  verifiable_addresses?: ReadonlyArray<{ value: string; verified: boolean; via?: string }> | undefined;
}

/** Claims Hera puts into the ID token; each is present only when its scope was granted. */
export interface IdTokenClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  iam_admin_role?: "admin" | "viewer";
}

const objectSchema = z.record(z.string(), z.unknown());

function record(value: unknown): Record<string, unknown> {
  const parsed = objectSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * ID token claims per granted scope: `email` → email, email_verified;
 * `profile` → name (plus given/family name), from the identity's traits.
 * On the IAM domain the employee's role travels as `iam_admin_role` with
 * `profile` (or an explicit `iam_admin_role` scope), because Athena
 * authorises on it — read from `metadata_admin`, never from traits, which
 * the person can edit. A CIAM identity never yields an admin role.
 */
export function idTokenClaims(domain: Domain, identity: ClaimSource, grantedScopes: readonly string[]): IdTokenClaims {
  const traits = record(identity.traits);
  const scopes = new Set(grantedScopes);
  const claims: IdTokenClaims = {};

  if (scopes.has("email")) {
    const email = text(traits.email);
    if (email) {
      claims.email = email;
      const address = identity.verifiable_addresses?.find((a) => a.value.toLowerCase() === email.toLowerCase());
      claims.email_verified = address?.verified ?? false;
    }
  }

  if (scopes.has("profile")) {
    const name = record(traits.name);
    const first = text(name.first);
    const last = text(name.last);
    const full = [first, last].filter(Boolean).join(" ") || text(traits.name);
    if (full) claims.name = full;
    if (first) claims.given_name = first;
    if (last) claims.family_name = last;
  }

  if (domain === "iam" && (scopes.has("profile") || scopes.has("iam_admin_role"))) {
    const role = iamAdminRoleOf(identity.metadata_admin);
    if (role) claims.iam_admin_role = role;
  }

  return claims;
}
