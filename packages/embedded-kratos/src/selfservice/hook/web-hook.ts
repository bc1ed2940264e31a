import { webHookConfigSchema, type WebHookConfig } from "../../config/schema";
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
import type { Hook, HookArgs } from "./hook";
import { executeWebHook, type WebHookCall } from "./web-hook-execute";

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
 * `web_hook` (selfservice/hook/web_hook.go WebHook) after login,
 * registration, settings and recovery:
 *
 * - registration and settings: with `can_interrupt` or `response.parse`
 *   before the identity is stored (ExecutePostRegistrationPrePersistHook,
 *   ExecuteSettingsPrePersistHook: the answer may stop the flow or change
 *   the identity), otherwise after (…PostPersistHook; registration's call
 *   outlives the client's connection);
 * - login (ExecuteLoginPostHook): with the identity and the session;
 * - recovery (ExecutePostRecoveryHook): with the identity.
 */
export const webHook: Hook = {
  name: "web_hook",
  flows: ["login", "registration", "settings", "recovery"],
  async pre(deps, args, raw) {
    const kind = args.flow.kind;
    if (kind !== "registration" && kind !== "settings") return;
    const config = webHookConfigSchema.parse(raw);
    if (!runsPrePersist(config)) return;
    const { traits, schemaId } = args.identity;
    await executeWebHook(deps, config, await call(deps, args, { session: kind === "settings" }));
    // Traits or a schema the answer replaced are validated again before they are stored (IdentityValidator / IdentityManager.Update).
    if (args.identity.traits !== traits || args.identity.schemaId !== schemaId) {
      const problems = await deps.identities.validateTraits(args.identity.schemaId, args.identity.traits);
      if (problems.length > 0) throw new FlowValidationError(problems);
      // IdentityManager.Create / Update derive identifiers and addresses from the traits as stored, after these hooks
      // (the social sign-up and linking paths built the identity before them).
      deps.identities.deriveFromTraits(args.identity);
    }
  },
  async post(deps, args, raw) {
    const config = webHookConfigSchema.parse(raw);
    switch (args.flow.kind) {
      case "login":
        return executeWebHook(deps, config, await call(deps, args, { session: true }));
      case "recovery":
        return executeWebHook(deps, config, await call(deps, args, { session: false }));
      case "registration":
        if (runsPrePersist(config)) return;
        return executeWebHook(deps, config, await call(deps, args, { session: false, detached: true }));
      case "settings":
        if (runsPrePersist(config)) return;
        return executeWebHook(deps, config, await call(deps, args, { session: true }));
      default:
        return;
    }
  },
};
