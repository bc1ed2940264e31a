import type { FlowDeps } from "../flow-deps";
import type { HttpContext } from "../../../http/context";
import type { Identity } from "../../../identity/identity";
import { configuredStrategy } from "../address-flow";
import { createFlow } from "../engine";
import type { Flow, FlowType, VerificationFlow } from "../flow";
import { verificationFlow } from "./definition";

/**
 * Starts verification for a new identity's first unverified address (as
 * Kratos does after registration when verification is enabled). The active
 * strategy's `initiate` sends the message; without one the flow just waits
 * in `choose_method` with the address pre-filled.
 */
export async function startVerificationForIdentity(
  deps: FlowDeps,
  ctx: HttpContext,
  identity: Identity,
  original: Pick<Flow, "kind" | "type" | "requestUrl">,
  /** hook.Verifier's flowCallback: what the flow takes over from the one that started it. */
  carry?: (flow: VerificationFlow) => void,
): Promise<{ flow: Flow; address: string } | undefined> {
  if (!deps.config.selfservice.flows.verification.enabled) return undefined;
  const address = identity.verifiableAddresses.find((a) => !a.verified);
  if (!address) return undefined;
  const { requestUrl, returnTo } = postHookOrigin(deps, original.requestUrl);
  const type: FlowType = original.type;
  const use = deps.config.selfservice.flows.verification.use;
  const flow = await createFlow(deps, verificationFlow, ctx, type, {
    strategy: { identity },
    requestUrl,
    ...(returnTo ? { returnTo } : {}),
    prepare: (f) => {
      f.active = use;
      carry?.(f);
    },
    // hook.Verifier: after a browser sign-up (or login) the verification flow gets a new anti-CSRF token; after settings the current one.
    regenerateCsrf: type === "browser" && (original.kind === "registration" || original.kind === "login"),
    // verification.NewPostHookFlow: built without the handler, so no PreVerificationHook.
    beforeHooks: false,
  });
  flow.ui.setValue("email", address.value);
  const strategy = configuredStrategy(deps, "verification");
  if (strategy?.initiate) await strategy.initiate(flow, { address: address.value, via: address.via }, { deps, http: ctx, identity });
  await deps.flows.save(flow);
  return { flow, address: address.value };
}

/**
 * Kratos' verification.NewPostHookFlow: the flow inherits the original
 * flow's request URL, whose `after_verification_return_to` becomes its
 * `return_to` — where the verification page's "Continue" leads (for a
 * sign-up started by an OAuth2 client: back into that client's login). A
 * value outside allowed_return_urls is dropped (the defaults apply).
 */
export function postHookOrigin(deps: FlowDeps, originalRequestUrl: string): { requestUrl: string; returnTo: string | undefined } {
  if (!URL.canParse(originalRequestUrl)) return { requestUrl: originalRequestUrl, returnTo: undefined };
  const url = new URL(originalRequestUrl);
  const after = url.searchParams.get("after_verification_return_to");
  url.searchParams.delete("after_verification_return_to");
  url.searchParams.delete("return_to");
  let returnTo: string | undefined;
  try {
    returnTo = after ? deps.returnTo.check(after) : undefined;
  } catch {
    returnTo = undefined;
  }
  if (returnTo) url.searchParams.set("return_to", returnTo);
  return { requestUrl: url.toString(), returnTo };
}
