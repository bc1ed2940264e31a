import type { WebHookConfig } from "../../config/schema";
import type { Deps } from "../../deps";
import { publicIdentityJson, publicSessionJson } from "../../session/json";
import type { Flow } from "../flow/flow";
import type { FlowDeps } from "../flow/flow-deps";
import { loginFlow } from "../flow/login/definition";
import { recoveryFlow } from "../flow/recovery/definition";
import { registrationFlow } from "../flow/registration/definition";
import { settingsFlow } from "../flow/settings/definition";
import { verificationFlow } from "../flow/verification/definition";
import { baseFlowJson } from "../flow/flow";
import { FlowValidationError } from "../flow/validation-error";
import type { Identity } from "../../identity/identity";
import type { Hook, HookArgs } from "./hook";
import { executeWebHook, parsedConfig, type WebHookCall } from "./web-hook-execute";
import type { IdentityAnswer } from "./web-hook-response";

/** The flow as its API answer renders it (what web_hook.go's templateContext marshals as `flow`). */
async function flowJson(deps: Deps, flow: Flow): Promise<Record<string, unknown>> {
  if (!("strategies" in deps)) return baseFlowJson(flow);
  const flowDeps = deps as FlowDeps;
  switch (flow.kind) {
    case "login":
      return loginFlow.toJson(flow, flowDeps);
    case "registration":
      return registrationFlow.toJson(flow, flowDeps);
    case "settings":
      return settingsFlow.toJson(flow, flowDeps);
    case "recovery":
      return recoveryFlow.toJson(flow, flowDeps);
    case "verification":
      return verificationFlow.toJson(flow, flowDeps);
  }
}

/** Whether the hook has to run before the identity is stored: it may stop the flow or change the identity. */
const runsPrePersist = (config: WebHookConfig) => config.can_interrupt || config.response.parse;

async function call(deps: Deps, args: HookArgs, with_: { session: boolean; detached?: boolean }): Promise<WebHookCall> {
  return {
    ctx: args.ctx,
    flow: await flowJson(deps, args.flow),
    identity: { value: args.identity, json: publicIdentityJson(deps, args.identity) },
    ...(with_.session && args.session ? { session: publicSessionJson(deps, args.session) } : {}),
    ...(with_.detached ? { detached: true } : {}),
  };
}

/**
 * Takes over what a 200 answered beyond the identity's own fields, then
 * does what Kratos' IdentityValidator does before the identity is stored:
 * traits or a schema the answer replaced are validated again (traits that
 * are not an object are refused there), and the schema extensions derive
 * the addresses, keeping an answered address whose value and channel match
 * one the traits name (extension_verification.go / extension_recovery.go
 * merge). The social sign-up and linking paths built the identity before
 * these hooks.
 */
async function applyAnswer(
  deps: Deps,
  identity: Identity,
  before: { traits: unknown; schemaId: string },
  answer: IdentityAnswer | undefined,
) {
  const traits = answer?.invalidTraits ? answer.invalidTraits.value : identity.traits;
  const traitsChanged = traits !== before.traits || identity.schemaId !== before.schemaId;
  if (traitsChanged) {
    const problems = await deps.identities.validateTraits(identity.schemaId, traits);
    if (problems.length > 0) throw new FlowValidationError(problems);
  }
  const { verifiableAddresses, recoveryAddresses } = answer ?? {};
  if (!traitsChanged && !verifiableAddresses && !recoveryAddresses) return;
  // parseWebhookResponse replaced the identity's lists: addresses it does not carry start afresh.
  if (verifiableAddresses) identity.verifiableAddresses = [];
  if (recoveryAddresses) identity.recoveryAddresses = [];
  deps.identities.deriveFromTraits(identity, verifiableAddresses, recoveryAddresses);
}

/**
 * `web_hook` (selfservice/hook/web_hook.go WebHook) after login,
 * registration, settings and recovery:
 *
 * - registration and settings: with `can_interrupt` or `response.parse`
 *   before the identity is stored (ExecutePostRegistrationPrePersistHook,
 *   ExecuteSettingsPrePersistHook: the answer may stop the flow or change
 *   the identity), otherwise after (…PostPersistHook; registration's call
 *   outlives the client's connection);
 * - login (ExecuteLoginPostHook): with the identity and the session;
 * - recovery (ExecutePostRecoveryHook): with the identity;
 * - verification (ExecutePostVerificationHook): with the identity, once the
 *   address is verified and the passed flow stored. A 200's parsed identity
 *   is not stored there, so only the answer's errors count.
 */
export const webHook: Hook = {
  name: "web_hook",
  flows: ["login", "registration", "settings", "recovery", "verification"],
  async pre(deps, args, entry) {
    const kind = args.flow.kind;
    if (kind !== "registration" && kind !== "settings") return;
    const config = parsedConfig(entry);
    if (!runsPrePersist(config)) return;
    const before = { traits: args.identity.traits, schemaId: args.identity.schemaId };
    const answer = await executeWebHook(deps, config, await call(deps, args, { session: kind === "settings" }));
    await applyAnswer(deps, args.identity, before, answer);
  },
  async post(deps, args, entry) {
    const config = parsedConfig(entry);
    switch (args.flow.kind) {
      case "login":
        await executeWebHook(deps, config, await call(deps, args, { session: true }));
        return;
      case "recovery":
      case "verification":
        await executeWebHook(deps, config, await call(deps, args, { session: false }));
        return;
      case "registration":
        if (runsPrePersist(config)) return;
        await executeWebHook(deps, config, await call(deps, args, { session: false, detached: true }));
        return;
      case "settings":
        if (runsPrePersist(config)) return;
        await executeWebHook(deps, config, await call(deps, args, { session: true }));
        return;
    }
  },
};
