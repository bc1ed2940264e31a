import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { parseAdminRole, roleAllows, type AdminRole } from "./roles";
import { readSessionToken } from "./session-cookie";

export interface Admin {
  id: string;
  email: string | null;
  name: string | null;
  role: AdminRole;
}

/**
 * The signed-in employee, or null: read from the encrypted session cookie,
 * once per request (layout and page share it), never trusted from the client.
 */
export const currentAdmin = cache(async (): Promise<Admin | null> => {
  const token = await readSessionToken();
  const role = parseAdminRole(token?.role);
  if (!token?.sub || !role) return null;
  return { id: token.sub, email: token.email ?? null, name: token.name ?? null, role };
});

/**
 * For pages: the signed-in employee with at least `needed`, else a redirect
 * to sign-in (no session) or to the home page with a notice (role too low).
 */
export async function requireAdminPage(needed: AdminRole = "viewer"): Promise<Admin> {
  const admin = await currentAdmin();
  if (!admin) redirect("/signin");
  if (!roleAllows(admin.role, needed)) redirect("/?notice=forbidden");
  return admin;
}
