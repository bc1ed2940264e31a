import type { Deps } from "../../../deps";
import type { HttpContext } from "../../../http/context";
import type { Identity } from "../../../identity/identity";
import { activeStrategy } from "../address-flow";
import { createFlow } from "../engine";
import type { Flow, FlowType } from "../flow";
import { verificationFlow } from "./definition";

/**
 * Starts verification for a new identity's first unverified address (as
 * Kratos does after registration when verification is enabled). The active
 * strategy's `initiate` sends the message; without one the flow just waits
 * in `choose_method` with the address pre-filled.
 */
export async function startVerificationForIdentity(
  deps: Deps,
  ctx: HttpContext,
  identity: Identity,
  type: FlowType,
): Promise<{ flow: Flow; address: string } | undefined> {
  if (!deps.config.selfservice.flows.verification.enabled) return undefined;
  const address = identity.verifiableAddresses.find((a) => !a.verified);
  if (!address) return undefined;
  const flow = await createFlow(deps, verificationFlow, ctx, type, { strategy: { identity } });
  flow.ui.setValue("email", address.value);
  const strategy = activeStrategy(deps, "verification");
  if (strategy?.initiate) await strategy.initiate(flow, { address: address.value, via: address.via }, { deps, http: ctx, identity });
  await deps.flows.save(flow);
  return { flow, address: address.value };
}
