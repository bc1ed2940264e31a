import "server-only";
import { unstable_rethrow } from "next/navigation";

/** How `/api/auth/*` answers a request it will not serve; the same shape as Hera's JSON errors. */
export interface AuthRouteError {
  error: { id: "invalid_request" | "internal_error"; code: number; message: string };
}

function jsonError(code: number, id: AuthRouteError["error"]["id"], message: string, replacing?: Response): Response {
  const body: AuthRouteError = { error: { id, code, message } };
  const response = Response.json(body, { status: code, headers: { "Cache-Control": "no-store" } });
  // next-auth's cookies (its CSRF token, a cleared session) still apply.
  for (const cookie of replacing?.headers.getSetCookie() ?? []) response.headers.append("Set-Cookie", cookie);
  return response;
}

/**
 * next-auth's route handler, answering in JSON whatever it would answer in
 * its own words. Left alone, next-auth v4 replies to an action it does not
 * know with the text `Error: This action with HTTP GET is not supported by
 * NextAuth.js`, to a POST /session without its CSRF token with the body
 * `[object Object]`, and throws on a JSON body that does not parse (a 500).
 * Its redirects, JSON and successful answers pass through unchanged.
 */
export function withAuthRouteErrors<R extends Request, C>(
  handle: (request: R, context: C) => Promise<Response>,
): (request: R, context: C) => Promise<Response> {
  return async (request, context) => {
    // next-auth parses any body whose type mentions JSON; a broken one is the client's mistake, not ours.
    if (request.method === "POST" && (request.headers.get("content-type") ?? "").includes("application/json")) {
      const parses = await request
        .clone()
        .json()
        .then(
          () => true,
          () => false,
        );
      if (!parses) return jsonError(400, "invalid_request", "The request body is not valid JSON.");
    }
    let response: Response;
    try {
      response = await handle(request, context);
    } catch (error) {
      unstable_rethrow(error);
      console.error(
        JSON.stringify({
          level: "error",
          msg: "next-auth request failed",
          path: new URL(request.url).pathname,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      return jsonError(500, "internal_error", "Signing in failed on the server; see the server log.");
    }
    const isJson = (response.headers.get("content-type") ?? "").includes("application/json");
    if (response.status >= 400 && response.status < 500 && !isJson)
      return jsonError(response.status, "invalid_request", "This sign-in request is not valid.", response);
    if (response.status >= 500 && !isJson)
      return jsonError(500, "internal_error", "Signing in failed on the server; see the server log.", response);
    return response;
  };
}
