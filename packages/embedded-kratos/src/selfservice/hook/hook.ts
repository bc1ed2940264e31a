import type { WebHookConfig } from "../../config/schema";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import type { Identity } from "../../identity/identity";
import type { IssuedSession } from "../../session/manager";
import type { Session } from "../../session/session";
import type { ContinueWith, Flow, FlowKind } from "../flow/flow";

export interface HookArgs {
  ctx: HttpContext;
  flow: Flow;
  identity: Identity;
  session?: Session;
  /** The session registration issues (Kratos always creates one; the `session` hook hands it out). */
  issued?: IssuedSession;
  /** Set by the `session` hook: the answer carries the session (and, for native apps, its token). */
  sessionHookRan?: boolean;
  /** Set by `show_verification_ui` for browser navigations: where the sign-up's 303 goes instead of return_to. */
  returnToVerification?: string;
  /** Set by the registration flow when a verification flow was started. */
  verificationFlow?: { flow: Flow; address: string };
  continueWith?: ContinueWith[];
}

/**
 * A configured `after` hook (selfservice.flows.<kind>.after[.<method>].hooks).
 * `pre` runs before the session is issued/persisted, `post` after.
 */
export interface Hook {
  name: string;
  /**
   * The flows Kratos runs this hook in. Kratos silently skips a hook
   * configured for a flow whose executor interface it does not implement
   * (e.g. `session` under settings), and so does this server.
   */
  flows: readonly FlowKind[];
  /** `entry` is the hook as configured, its `config` checked (and, for web hooks, parsed) at start-up. */
  pre?(deps: Deps, args: HookArgs, entry: ConfiguredHook): Promise<void> | void;
  post?(deps: Deps, args: HookArgs, entry: ConfiguredHook): Promise<void> | void;
}

/** A configured hook: its name, its `config` block, and a web hook's config as start-up parsed it. */
export interface ConfiguredHook {
  hook: string;
  config?: Record<string, unknown>;
  webHook?: WebHookConfig;
}
