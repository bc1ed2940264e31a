import { errors } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { messages } from "../../../ui/messages";
import type { UiNode } from "../../../ui/node";
import { type SettingsFlow, readStrategyState, writeStrategyState } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { SettingsResult, StrategyContext, SettingsStrategy } from "../strategy";
import { CODE_COUNT, lookupConfigOf, newRecoveryCodes, recoveryCodeSchema } from "./credential";
import { codesNode, confirmNode, disableNode, regenerateNode, revealNode } from "./nodes";
import { pressed } from "../submission";
import { z } from "zod";
import { now as timeNow } from "../../../clock/clock";

/**
 * What the settings flow currently shows for backup codes. Kratos keeps this
 * in the flow's internal context; the nodes are derived from it on every render.
 */
const lookupStateSchema = z.object({
  revealed: z.boolean().optional(),
  /** Freshly generated codes waiting for `lookup_secret_confirm`. */
  regenerated: z.array(recoveryCodeSchema).optional(),
});
type LookupInternal = z.infer<typeof lookupStateSchema>;

function state(flow: SettingsFlow): LookupInternal {
  return readStrategyState(flow, "lookup_secret", lookupStateSchema) ?? {};
}

function setState(flow: SettingsFlow, next: LookupInternal | undefined): void {
  writeStrategyState(flow, "lookup_secret", next);
}

/** Reveal, regenerate (then confirm) and disable backup codes, as Kratos' lookup strategy does. */
const LOOKUP_BUTTONS = ["lookup_secret_confirm", "lookup_secret_reveal", "lookup_secret_regenerate", "lookup_secret_disable"];

export const lookupSettings: SettingsStrategy = {
  // Its buttons are posted without `method`.
  responsible: ({ method, body }) =>
    method === "lookup_secret" || (method === "" && LOOKUP_BUTTONS.some((button) => pressed(body, button))),
  populate(flow: SettingsFlow, ctx: StrategyContext) {
    const identity = ctx.identity;
    if (!identity) return;
    const { revealed, regenerated } = state(flow);
    const current = lookupConfigOf(identity);
    if (regenerated && regenerated.length === CODE_COUNT) {
      flow.ui.append(codesNode(regenerated), confirmNode());
    } else if (current && revealed) {
      flow.ui.append(codesNode(current.recovery_codes), disableNode(), regenerateNode());
    } else if (current) {
      flow.ui.append(revealNode(), disableNode());
    } else {
      flow.ui.append(regenerateNode());
    }
  },

  submit(flow, body, ctx) {
    const identity = ctx.identity;
    if (!identity) throw FlowValidationError.flow(messages.noStrategy("settings"));
    if (isTrue(body.lookup_secret_confirm)) return Promise.resolve(confirm(flow, ctx, identity));
    if (isTrue(body.lookup_secret_reveal)) {
      const current = lookupConfigOf(identity);
      if (!current) throw errors.badRequest("Can not reveal lookup codes because you have none.");
      showUnsorted(flow, codesNode(current.recovery_codes), disableNode(), regenerateNode());
      setState(flow, { ...state(flow), revealed: true });
      return Promise.resolve({ identity, privileged: true, returnToUi: true });
    }
    if (isTrue(body.lookup_secret_disable)) {
      const { lookup_secret: _removed, ...rest } = identity.credentials;
      identity.credentials = rest;
      setState(flow, undefined);
      return Promise.resolve({ identity, privileged: true });
    }
    if (isTrue(body.lookup_secret_regenerate)) {
      const regenerated = newRecoveryCodes();
      showUnsorted(flow, codesNode(regenerated), confirmNode());
      setState(flow, { regenerated });
      return Promise.resolve({ identity, privileged: true, returnToUi: true });
    }
    throw FlowValidationError.flow(messages.noStrategy("settings"));
  },
};

/** Every node the lookup strategy may show (lookup/settings.go allSettingsNodes). */
const LOOKUP_NODES = [...LOOKUP_BUTTONS, "lookup_secret_codes"];

/**
 * continueSettingsFlowReveal / continueSettingsFlowRegenerate: the lookup
 * nodes are removed and the new ones appended to the form as it is, which
 * the flow then shows without sorting it again (the settings handler's
 * ErrStrategyAsksToReturnToUI answer); a later error re-sorts it.
 */
function showUnsorted(flow: SettingsFlow, ...nodes: UiNode[]): void {
  for (const name of LOOKUP_NODES) flow.ui.remove(name);
  flow.ui.nodes.push(...nodes);
}

function confirm(flow: SettingsFlow, ctx: StrategyContext, identity: Identity): SettingsResult {
  const codes = state(flow).regenerated;
  if (!codes || codes.length !== CODE_COUNT)
    throw errors.badRequest("You must (re-)generate recovery backup codes before you can save them.");
  ctx.deps.identities.setCredential(identity, {
    type: "lookup_secret",
    identifiers: [identity.id],
    config: { recovery_codes: codes.map((c) => ({ code: c.code })) },
    version: 0,
  });
  setState(flow, undefined);
  return {
    identity,
    privileged: true,
    authenticationMethod: { method: "lookup_secret", aal: "aal2", completed_at: timeNow().toISOString() },
  };
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
