import { NextResponse, type NextRequest } from "next/server";
import { startupConfig } from "@olympus/runtime-config/config";
import { isOryError } from "@olympus/ory-client/hydra";
import { endKratosSession, signedInIdentity } from "@/lib/server/logout";
import { hydra } from "@/lib/server/ory";

export const dynamic = "force-dynamic";

/**
 * RP-initiated logout without a question: the client proved who it is
 * (id_token_hint), so Hera ends the Kratos session, relays the clearing
 * cookie and accepts the Hydra logout — but only when the hint names the
 * person signed in here. Anyone can obtain an ID token for their own account;
 * a link carrying it must not sign a victim out, so a logout request for
 * another subject (or any other challenge) gets the confirmation page.
 */
export async function GET(request: NextRequest) {
  const { publicUrl } = startupConfig();
  const challenge = request.nextUrl.searchParams.get("logout_challenge");
  const back = (path: string) => NextResponse.redirect(new URL(path, publicUrl), 303);
  if (!challenge) return back("/logout");
  try {
    const result = await hydra().getLogoutRequest(challenge);
    if (result.status === "handled") return NextResponse.redirect(result.redirectTo, 303);
    if (result.status === "not_found" || !result.request.rp_initiated) {
      return back(`/logout?logout_challenge=${encodeURIComponent(challenge)}&confirm=true`);
    }
    const cookie = request.headers.get("cookie") ?? undefined;
    const signedIn = await signedInIdentity(cookie);
    if (signedIn !== undefined && signedIn !== result.request.subject) {
      return back(`/logout?logout_challenge=${encodeURIComponent(challenge)}&confirm=true`);
    }
    const setCookie = await endKratosSession(cookie);
    const response = NextResponse.redirect(await hydra().acceptLogout(challenge), 303);
    for (const cookie of setCookie) response.headers.append("Set-Cookie", cookie);
    response.headers.set("Cache-Control", "no-store");
    return response;
  } catch (error) {
    if (!isOryError(error)) throw error;
    return back(`/unavailable?retry=${encodeURIComponent(`/logout?logout_challenge=${challenge}`)}`);
  }
}
