import { NextResponse, type NextRequest } from "next/server";
import { startupConfig } from "@olympus/runtime-config/config";
import { contentSecurityPolicy, newCspNonce, refuseForeignServerAction, securityHeaders } from "@olympus/web-security";

/**
 * Security headers on every response, and a fresh CSP nonce per request:
 * Next reads it from the request's CSP header and puts it on its own
 * scripts. Flow pages (and every other dynamic response) are never cached.
 */
export function proxy(request: NextRequest) {
  const config = startupConfig();
  const nonce = newCspNonce();
  // Ory Elements calls Kratos and posts its forms on Hera's own origin (app/.ory/kratos): 'self' is all it needs.
  const csp = contentSecurityPolicy({ environment: config.environment }, nonce, process.env.NODE_ENV === "development");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // A server action with a cross-site or malformed Origin is answered here, never by Next's own check.
  const refused = refuseForeignServerAction(request);
  const response = refused
    ? NextResponse.json(refused.body, { status: refused.status })
    : NextResponse.next({ request: { headers: requestHeaders } });

  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(securityHeaders(config.environment))) response.headers.set(name, value);
  if (!request.nextUrl.pathname.startsWith("/brand/")) response.headers.set("Cache-Control", "no-store, max-age=0");
  return response;
}

export const config = {
  // Static build output is immutable and carries no user data.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
