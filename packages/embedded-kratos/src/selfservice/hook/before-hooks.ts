import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import { KratosError } from "../../http/errors";
import { publicSessionJson } from "../../session/json";
import type { Session } from "../../session/session";
import type { Flow, FlowKind } from "../flow/flow";
import type { ConfiguredHook } from "./hook";
import { executeWebHook, parsedConfig } from "./web-hook-execute";
import { WebHookValidationError } from "./web-hook-response";

/** What a `before` hook sees: the new flow (not yet stored) as its API answer renders it, and, in settings, the session. */
export interface BeforeHookArgs {
  ctx: HttpContext;
  flow: Flow;
  /** The flow's API answer, asked for only when a hook runs. */
  flowJson: () => Promise<Record<string, unknown>>;
  session?: Session;
}

/** `selfservice.flows.<kind>.before.hooks` as configured. */
export function beforeHookEntries(config: KratosConfig, kind: FlowKind): ConfiguredHook[] {
  const flows = config.selfservice.flows as unknown as Record<string, { before?: { hooks?: unknown } }>;
  const hooks = flows[kind]?.before?.hooks;
  return Array.isArray(hooks) ? (hooks as ConfiguredHook[]) : [];
}

/**
 * Each flow's Pre…Hook (login, registration, settings, recovery and
 * verification hook.go): the `before` hooks, in order, on a new flow before
 * it is stored. Of Kratos' hooks only `web_hook` is a Pre…HookExecutor
 * (WebHook.Execute…PreHook: the flow and the request; in settings the
 * session too). The first error stops the flow's creation.
 */
export async function runBeforeHooks(deps: Deps, args: BeforeHookArgs): Promise<void> {
  for (const entry of beforeHookEntries(deps.config, args.flow.kind)) {
    // Other hooks are no Pre…HookExecutor (reported at start-up); a web hook without its parsed config is a
    // bug that must stop the flow, not let it through unguarded.
    if (entry.hook !== "web_hook") continue;
    const config = parsedConfig(entry);
    const session = args.flow.kind === "settings" && args.session ? { session: publicSessionJson(deps, args.session) } : {};
    try {
      await executeWebHook(deps, config, { ctx: args.ctx, flow: await args.flowJson(), ...session });
    } catch (error) {
      if (error instanceof WebHookValidationError) throw new BeforeHookError(500, { message: error.goText }, true);
      if (error instanceof KratosError) throw BeforeHookError.from(error);
      throw error;
    }
  }
}

/**
 * A `before` hook stopped a flow's creation. There is no stored flow to
 * show messages on, so the handlers write it as an error: a refusal's
 * message list (`fromMessageList`, schema.ValidationListError) as
 * herodot's 500 with the list's Go text.
 */
export class BeforeHookError extends KratosError {
  constructor(
    code: number,
    init: ConstructorParameters<typeof KratosError>[1],
    readonly fromMessageList = false,
  ) {
    super(code, init);
  }

  static from(error: KratosError): BeforeHookError {
    const copy = new BeforeHookError(error.code, { id: error.id, reason: error.reason, message: error.message, details: error.details });
    return copy.withExtra(error.extra);
  }
}
