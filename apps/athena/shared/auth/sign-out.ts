"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { athenaConfig } from "@/shared/server/config";
import { recordAudit } from "@/shared/server/audit";
import { athenaSessions } from "./athena-sessions";
import type { SignOutResult } from "./server-sessions";
import { readSessionToken, sessionCookieParts } from "./session-cookie";

/**
 * Ends the Athena session and then the IAM one: the IAM refresh token is
 * revoked at IAM Hydra (RFC 7009, with this Athena's client credentials) and
 * the server-side session row ended — so a copy of the cookie is worthless
 * from here on — then the cookie (all its chunks) is deleted, and the browser
 * is sent to IAM Hydra's RP-initiated logout with the newest ID token as
 * hint; Hydra hands the logout to Hera IAM, which ends the Kratos session,
 * and returns to this Athena.
 * A server action, so Next's origin check guards it against cross-site posts.
 */
export async function signOut(): Promise<never> {
  const config = athenaConfig();
  const token = await readSessionToken();
  let ended: SignOutResult | undefined;
  if (token?.sid) {
    try {
      ended = await (await athenaSessions()).signOut(token.sid);
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "sign-out could not end the server-side session",
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }
  const jar = await cookies();
  for (const part of await sessionCookieParts()) jar.delete(part.name);

  if (!token?.sub) redirect("/signin?signed_out");
  await recordAudit({
    actor: { id: token.sub, email: token.email ?? null, role: ended?.session?.role ?? null },
    action: "auth.sign_out",
    outcome: "success",
    details: { revocation: ended?.revocation ?? "none" },
  });
  if (!ended?.idToken) redirect("/signin?signed_out");
  const logout = new URL(`${config.auth.issuerUrl}/oauth2/sessions/logout`);
  logout.searchParams.set("id_token_hint", ended.idToken);
  logout.searchParams.set("post_logout_redirect_uri", `${config.publicUrl}/`);
  logout.searchParams.set("state", "signed-out");
  redirect(logout.toString());
}
