import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { startupConfig } from "@olympus/runtime-config/config";
import type { FlowByKind, FlowKind } from "@olympus/ory-client/kratos";
import { one, type SearchParams } from "../search-params";
import { methodsNotOffered, withoutEnrolmentOf } from "../second-factor-policy";
import { withCaptchaForPage } from "./captcha/page";
import { browserCookie } from "./cookies";
import { KRATOS_PROXY_PREFIX } from "./kratos-edge/edge";
import { effectiveMfaPolicy } from "./kratos-edge/instance";
import { REFUSAL_COOKIE, refusalFromCookie } from "./kratos-edge/refusal";
import { kratos } from "./ory";

/** Query parameters that survive a flow (re)start. */
const START_PARAMS = ["return_to", "refresh", "aal", "after_verification_return_to"] as const;

/**
 * Hera's own flow start, `/self-service/<kind>/browser`: a route handler
 * that creates the flow at Kratos server-side and relays its CSRF cookie.
 */
export function startFlowPath(kind: FlowKind, params: SearchParams = {}): string {
  const query = new URLSearchParams();
  for (const name of START_PARAMS) {
    const value = one(params, name);
    if (value) query.set(name, value);
  }
  const qs = query.toString();
  return `/self-service/${kind}/browser${qs ? `?${qs}` : ""}`;
}

/** Kratos' own browser start URL (through Hera's proxy): it checks return_to against its allow-list before sending the browser there. */
export function kratosBrowserPath(kind: FlowKind, returnTo: string | undefined): string {
  const url = new URL(`${startupConfig().publicUrl}${KRATOS_PROXY_PREFIX}/self-service/${kind}/browser`);
  if (returnTo) url.searchParams.set("return_to", returnTo);
  return url.toString();
}

/**
 * The flow a page renders, fetched with the browser's cookies. Without a
 * `flow` parameter, or when the flow expired, was replaced or lost its CSRF
 * cookie, the browser is sent to start a new one (keeping return_to).
 */
export async function flowForPage<K extends FlowKind>(kind: K, params: SearchParams): Promise<FlowByKind[K]> {
  const id = one(params, "flow");
  if (!id) redirect(startFlowPath(kind, params));
  const result = await kratos().getFlow(kind, id, await browserCookie());
  switch (result.status) {
    case "ok":
      return withCaptchaForPage(
        kind,
        await withEdgeRefusal(
          kind === "settings" ? withoutEnrolmentOf(result.flow, methodsNotOffered(await effectiveMfaPolicy())) : result.flow,
        ),
      );
    case "restart":
      return redirect(startFlowPath(kind, { ...params, return_to: result.returnTo ?? one(params, "return_to") }));
    case "session_already_available":
      return redirect(kratosBrowserPath("login", one(params, "return_to")));
    case "login_required":
      return redirect(startFlowPath("login", { return_to: `${startupConfig().publicUrl}/${kind}` }));
    case "redirect":
      return redirect(result.to);
    case "disabled":
      return redirect(`/error?disabled=${kind}`);
  }
}

/**
 * A browser form post the edge refused (abuse limits) comes back here by a
 * 303, like any refused submission; Kratos' stored flow cannot hold the
 * edge's message, so the page shows it from the edge's short-lived cookie.
 */
async function withEdgeRefusal<F extends { id: string; ui: { messages?: unknown[] } }>(flow: F): Promise<F> {
  const message = refusalFromCookie((await cookies()).get(REFUSAL_COOKIE)?.value, flow.id);
  return message ? { ...flow, ui: { ...flow.ui, messages: [message] } } : flow;
}
