import "server-only";
import { hydra, kratos } from "./ory";

/** Who is signed in to Kratos in this browser: an identity id, "unknown" (a session awaiting its second factor), or none. */
export async function signedInIdentity(cookie: string | undefined): Promise<string | "unknown" | undefined> {
  const result = await kratos().toSession(cookie);
  if (result.status === "active") return result.session.identity?.id ?? "unknown";
  return result.status === "aal2_required" ? "unknown" : undefined;
}

/**
 * Ends the browser's Kratos session (if any), server-side. Returns Kratos'
 * Set-Cookie headers, which clear the session cookie and must be relayed.
 */
export async function endKratosSession(cookie: string | undefined): Promise<string[]> {
  const flow = await kratos().createLogoutFlow(cookie);
  if (!flow) return [];
  const { setCookie } = await kratos().performLogout(flow.logoutToken, cookie);
  return setCookie;
}

/**
 * Hera's own sign-out: ends the Kratos session and then every Hydra login
 * session of that person, so no client can sign them in again from a
 * remembered login. (A Hydra logout challenge ends Hydra's session itself,
 * with its back-channel notifications; this is for sign-outs without one.)
 */
export async function signOutEverywhere(cookie: string | undefined): Promise<string[]> {
  const identity = await signedInIdentity(cookie);
  const setCookie = await endKratosSession(cookie);
  if (identity && identity !== "unknown") await hydra().revokeLoginSessions({ subject: identity });
  return setCookie;
}
