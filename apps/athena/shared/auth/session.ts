import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { athenaSessions } from "./athena-sessions";
import { roleAllows, type AdminRole } from "./roles";
import type { SessionCheck } from "./server-sessions";
import { readSessionToken } from "./session-cookie";

export interface Admin {
  id: string;
  email: string | null;
  name: string | null;
  role: AdminRole;
}

export type CurrentSession =
  /** IAM vouched for the role within the re-validation window: pages and writes. */
  | { status: "active"; admin: Admin }
  /** Due for re-validation and IAM Hydra cannot be reached: pages on the last verified role, no writes. */
  | { status: "unverified"; admin: Admin }
  /** No session: none, ended (signed out, refused by IAM, expired), or not verifiable now. */
  | { status: "none"; reason: "none" | "ended" | "unavailable" };

/**
 * The signed-in employee, checked on the server once per request (layout,
 * page and action share it). The cookie only names a server-side session;
 * the role comes from that row, which IAM Hydra re-validates when the window
 * has passed (see server-sessions.ts). Nothing here trusts the browser.
 */
export const currentSession = cache(async (): Promise<CurrentSession> => {
  const token = await readSessionToken();
  if (!token?.sid || !token.sub) return { status: "none", reason: "none" };
  let check: SessionCheck;
  try {
    check = await (await athenaSessions()).check(token.sid);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "error", msg: "session check failed", error: error instanceof Error ? error.message : String(error) }),
    );
    return { status: "none", reason: "unavailable" };
  }
  if (check.status === "ended") return { status: "none", reason: "ended" };
  if (check.status === "unavailable") return { status: "none", reason: "unavailable" };
  const { session } = check;
  if (session.subject !== token.sub) return { status: "none", reason: "ended" };
  return { status: check.status, admin: { id: session.subject, email: session.email, name: session.name, role: session.role } };
});

/** The signed-in employee for reading (active or unverified), or null. */
export async function currentAdmin(): Promise<Admin | null> {
  const session = await currentSession();
  return session.status === "none" ? null : session.admin;
}

/**
 * For pages: the signed-in employee with at least `needed`, else a redirect
 * to sign-in (no session, or one that cannot be verified) or to the home
 * page with a notice (role too low).
 */
export async function requireAdminPage(needed: AdminRole = "viewer"): Promise<Admin> {
  const session = await currentSession();
  if (session.status === "none") redirect(SIGN_IN_AFTER[session.reason]);
  if (!roleAllows(session.admin.role, needed)) redirect("/?notice=forbidden");
  return session.admin;
}

const SIGN_IN_AFTER: Record<"none" | "ended" | "unavailable", string> = {
  none: "/signin",
  ended: "/signin?error=SessionEnded",
  unavailable: "/signin?error=SessionUnverifiable",
};
