/**
 * Athena's two roles, carried by the IAM identity's `iam_admin_role` trait
 * and the ID token claim of the same name. `viewer` reads; `admin` also writes.
 */
export const ADMIN_ROLES = ["viewer", "admin"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export function parseAdminRole(value: unknown): AdminRole | undefined {
  return value === "admin" || value === "viewer" ? value : undefined;
}

/** Whether `role` may do what `needed` allows (admin ⊇ viewer). */
export function roleAllows(role: AdminRole, needed: AdminRole): boolean {
  return ADMIN_ROLES.indexOf(role) >= ADMIN_ROLES.indexOf(needed);
}
