/** Athena's session cookie (`__Host-` prefixed on https); shared by next-auth options, sign-out and the proxy. */
export const SESSION_COOKIE_BASENAME = "athena.session";

export function sessionCookieName(publicUrl: string): string {
  return `${publicUrl.startsWith("https:") ? "__Host-" : ""}${SESSION_COOKIE_BASENAME}`;
}
