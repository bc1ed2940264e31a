import { NextResponse, type NextRequest } from "next/server";
import { athenaStartupConfig } from "@olympus/runtime-config/config/athena";
import { contentSecurityPolicy, newCspNonce, refuseForeignServerAction, securityHeaders } from "@olympus/web-security";
import { SESSION_COOKIE_BASENAME } from "@/shared/auth/cookie-names";

/** Paths a browser may open without an Athena session (sign-in itself, next-auth, health, assets). */
const PUBLIC_PATHS = /^\/(signin|api\/|_next\/|brand\/|favicon\.ico)/;

/**
 * Every response gets the security headers both Olympus apps share
 * (`@olympus/web-security`: a nonce CSP with `frame-ancestors 'none'`,
 * X-Frame-Options, nosniff, Referrer-Policy, …) and is never cached.
 * In front of the admin pages this is also a fast first gate: without any
 * session cookie the browser goes straight to sign-in, keeping where it
 * wanted to go. The real check (cookie decrypted, its server-side session
 * looked up and, when due, re-validated at IAM Hydra; the role read from
 * there) happens on the server for every page, action and route handler.
 * IAM Hydra returns here after RP-initiated logout with `state=signed-out`.
 */
export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const config = athenaStartupConfig();
  const nonce = newCspNonce();
  // Forms post to Athena itself; without JavaScript a sign-out continues at IAM Hydra.
  const csp = contentSecurityPolicy(
    { environment: config.environment, sources: { formActions: [config.auth.issuerUrl] } },
    nonce,
    process.env.NODE_ENV === "development",
  );
  const withHeaders = (response: NextResponse) => {
    response.headers.set("Content-Security-Policy", csp);
    for (const [name, value] of Object.entries(securityHeaders(config.environment))) response.headers.set(name, value);
    if (!pathname.startsWith("/brand/")) response.headers.set("Cache-Control", "no-store, max-age=0");
    return response;
  };

  // Before the sign-in gate too: its 307 would replay a cross-site action at /signin.
  const refused = refuseForeignServerAction(request);
  if (refused) return withHeaders(NextResponse.json(refused.body, { status: refused.status }));

  if (!PUBLIC_PATHS.test(pathname)) {
    const hasSession = request.cookies.getAll().some((c) => c.name.replace(/^__Host-/, "").startsWith(SESSION_COOKIE_BASENAME));
    if (pathname === "/" && searchParams.get("state") === "signed-out" && !hasSession)
      return withHeaders(redirectTo("/signin?signed_out", config.publicUrl));
    if (!hasSession) {
      const back = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(`${pathname}${request.nextUrl.search}`)}`;
      return withHeaders(redirectTo(`/signin${back}`, config.publicUrl));
    }
  }

  // Next reads the nonce from the request's CSP and puts it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }));
}

/**
 * To this Athena's own public URL, never to the Host header's: the server may
 * listen on 127.0.0.1 behind the public name, and a forged Host must not turn
 * the sign-in redirect into a link to another site.
 */
function redirectTo(path: string, publicUrl: string): NextResponse {
  return NextResponse.redirect(new URL(path, publicUrl), 307);
}

export const config = {
  // Static build output is immutable and carries no user data.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
