import { NextResponse, type NextRequest } from "next/server";
import { startupConfig } from "@olympus/sdk/config";
import { isOryError } from "@olympus/sdk/hydra";
import { endKratosSession } from "@/lib/server/logout";
import { hydra } from "@/lib/server/ory";

export const dynamic = "force-dynamic";

/**
 * RP-initiated logout without a question: the client proved who it is
 * (id_token_hint), so Hera ends the Kratos session, relays the clearing
 * cookie and accepts the Hydra logout. Any other challenge gets the
 * confirmation page instead.
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
    const setCookie = await endKratosSession(request.headers.get("cookie") ?? undefined);
    const response = NextResponse.redirect(await hydra().acceptLogout(challenge), 303);
    for (const cookie of setCookie) response.headers.append("Set-Cookie", cookie);
    response.headers.set("Cache-Control", "no-store");
    return response;
  } catch (error) {
    if (!isOryError(error)) throw error;
    return back(`/unavailable?retry=${encodeURIComponent(`/logout?logout_challenge=${challenge}`)}`);
  }
}
