import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE_BASENAME } from "@/lib/auth/cookie-names";

/**
 * A fast first gate in front of the admin pages: without any session cookie
 * the browser goes straight to sign-in, keeping where it wanted to go. The
 * real check (cookie decrypted, role read) happens on the server for every
 * page, action and route handler; this only saves a render.
 * IAM Hydra returns here after RP-initiated logout with `state=signed-out`.
 */
export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const hasSession = request.cookies.getAll().some((c) => c.name.replace(/^__Host-/, "").startsWith(SESSION_COOKIE_BASENAME));
  if (pathname === "/" && searchParams.get("state") === "signed-out" && !hasSession) return redirectTo(request, "/signin?signed_out");
  if (!hasSession) {
    const back = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(`${pathname}${request.nextUrl.search}`)}`;
    return redirectTo(request, `/signin${back}`);
  }
  return NextResponse.next();
}

/**
 * Back to the host the browser asked for: the server may listen on
 * 127.0.0.1 while browsers use the public host name, and the session cookie
 * lives on that host only. (Only the path is ours to choose.)
 */
function redirectTo(request: NextRequest, path: string): NextResponse {
  const host = request.headers.get("host") ?? request.nextUrl.host;
  return NextResponse.redirect(new URL(path, `${request.nextUrl.protocol}//${host}`), 307);
}

export const config = {
  // Everything except sign-in itself, next-auth, health, Next's assets and public files.
  matcher: ["/((?!signin|api/|_next/|brand/|favicon.ico).*)"],
};
