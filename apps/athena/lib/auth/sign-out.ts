"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { athenaConfig } from "@/lib/server/config";
import { recordAudit } from "@/lib/server/audit";
import { readSessionToken, sessionCookieParts } from "./session-cookie";
import { parseAdminRole } from "./roles";

/**
 * Ends the Athena session and then the IAM one: the session cookie (all its
 * chunks) is deleted here, and the browser is sent to IAM Hydra's
 * RP-initiated logout with the ID token as hint; Hydra hands the logout to
 * Hera IAM, which ends the Kratos session, and returns to this Athena.
 * A server action, so Next's origin check guards it against cross-site posts.
 */
export async function signOut(): Promise<never> {
  const config = athenaConfig();
  const token = await readSessionToken();
  const jar = await cookies();
  for (const part of await sessionCookieParts()) jar.delete(part.name);

  if (!token?.idToken || !token.sub) redirect("/signin?signed_out");
  await recordAudit({
    actor: { id: token.sub, email: token.email ?? null, role: parseAdminRole(token.role) ?? null },
    action: "auth.sign_out",
    outcome: "success",
  });
  const logout = new URL(`${config.auth.issuerUrl}/oauth2/sessions/logout`);
  logout.searchParams.set("id_token_hint", token.idToken);
  logout.searchParams.set("post_logout_redirect_uri", `${config.publicUrl}/`);
  logout.searchParams.set("state", "signed-out");
  redirect(logout.toString());
}
