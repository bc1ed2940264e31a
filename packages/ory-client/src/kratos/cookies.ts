/**
 * Set-Cookie headers relayed from Kratos to the browser. Kratos' cookies are
 * host-only by configuration; a relayed cookie must stay that way, so any
 * Domain attribute is dropped here: Olympus never sets a cookie for a parent
 * domain (which would leak a CIAM cookie to IAM or vice versa).
 */
export function hostOnlySetCookie(header: string): string {
  const [nameValue = "", ...attributes] = header.split(";");
  return [nameValue, ...attributes.filter((part) => !/^\s*domain\s*=/i.test(part))].join(";");
}

/** The browser's Cookie header, forwarded as is (Kratos reads its own cookies from it). */
export function cookieHeaders(cookie: string | undefined): Record<string, string> {
  return cookie ? { Cookie: cookie } : {};
}
