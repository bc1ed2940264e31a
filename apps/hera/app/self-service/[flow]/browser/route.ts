import { NextResponse, type NextRequest } from "next/server";
import { startupConfig } from "@olympus/runtime-config/config";
import { isFlowKind, isOryError, type CreateFlowParams } from "@olympus/ory-client/kratos";
import { kratosBrowserPath, startFlowPath } from "@/lib/server/flows";
import { kratos } from "@/lib/server/ory";

export const dynamic = "force-dynamic";

/**
 * Starts a self-service flow: creates it at Kratos server-side (forwarding
 * the browser's cookies), relays Kratos' Set-Cookie (the CSRF cookie,
 * host-only) and sends the browser to the page that renders it. Mirrors
 * Kratos' own `/self-service/<kind>/browser`, so the flow page's first paint
 * already holds the form.
 */
export async function GET(request: NextRequest, context: RouteContext<"/self-service/[flow]/browser">) {
  const { flow: kind } = await context.params;
  if (!isFlowKind(kind)) return NextResponse.json({ error: { id: "not_found", code: 404 } }, { status: 404 });

  const query = request.nextUrl.searchParams;
  const aal = query.get("aal");
  const params: CreateFlowParams = {
    returnTo: query.get("return_to") ?? undefined,
    refresh: query.get("refresh") === "true" ? true : undefined,
    aal: aal === "aal1" || aal === "aal2" ? aal : undefined,
    // Kratos reads it on registration only (the verification flow a sign-up starts returns there).
    afterVerificationReturnTo: kind === "registration" ? (query.get("after_verification_return_to") ?? undefined) : undefined,
  };
  const { publicUrl } = startupConfig();
  const to = (path: string) => new URL(path, publicUrl);

  try {
    const result = await kratos().createBrowserFlow(kind, params, request.headers.get("cookie") ?? undefined);
    switch (result.status) {
      case "ok": {
        const response = NextResponse.redirect(to(`/${kind}?flow=${encodeURIComponent(result.flow.id)}`), 303);
        for (const cookie of result.setCookie) response.headers.append("Set-Cookie", cookie);
        return noStore(response);
      }
      case "session_already_available":
        // Kratos checks return_to against its allow-list and sends the browser on.
        return noStore(NextResponse.redirect(kratosBrowserPath("login", params.returnTo), 303));
      case "login_required":
        return noStore(NextResponse.redirect(to(startFlowPath("login", { return_to: `${publicUrl}/${kind}` })), 303));
      case "redirect":
        return noStore(NextResponse.redirect(result.to, 303));
      case "restart":
        // A flow that cannot even be created is an upstream fault, not a reason to loop.
        return noStore(NextResponse.redirect(to(`/unavailable?retry=${encodeURIComponent(`/${kind}`)}`), 303));
      case "disabled":
        return noStore(NextResponse.redirect(to(`/error?disabled=${kind}`), 303));
    }
  } catch (error) {
    if (!isOryError(error)) throw error;
    console.error(JSON.stringify({ level: "error", msg: "flow start failed", flow: kind, error: error.id, status: error.upstreamStatus }));
    const retry = `${request.nextUrl.pathname}${request.nextUrl.search}`;
    return noStore(NextResponse.redirect(to(`/unavailable?retry=${encodeURIComponent(retry)}`), 303));
  }
}

function noStore(response: NextResponse): NextResponse {
  response.headers.set("Cache-Control", "no-store");
  return response;
}
