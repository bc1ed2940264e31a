import "server-only";
import { kratos } from "./ory";

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
