import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import type { JsonObject } from "../../http/body";
import type { Router } from "../../http/router";
import type { AuthenticatorAssuranceLevel, Identity } from "../../identity/identity";
import type { FieldError } from "../../identity/schema-registry";
import type { Migration } from "../../storage/migrate";
import type { NodeGroup } from "../../ui/node";
import type { UiText } from "../../ui/messages";
import type { Flow } from "../flow/flow";
import type { AuthenticationMethod, Session } from "../../session/session";

/**
 * A credential strategy (password, profile, code, link, totp, webauthn,
 * lookup_secret, ...). Each lives in its own folder under
 * selfservice/strategy/ and is listed once in ./registry.ts.
 *
 * A strategy adds UI nodes to flows (`populate`) and handles submissions
 * whose `method` equals its `id` (`submit`). Flow folders own everything
 * else: lifecycle, CSRF, expiry, hooks, sessions and responses.
 */
export interface Strategy {
  /** The `method` value and credential type, e.g. "password". */
  readonly id: string;
  /** UI node group the strategy's nodes use. */
  readonly group: NodeGroup;
  /** Whether config turns the strategy on (selfservice.methods.<id>.enabled). */
  enabled(config: KratosConfig): boolean;
  /** Extra tables (applied after the core migrations, in registration order). */
  readonly migrations?: Migration[];
  /** Extra endpoints (e.g. POST /admin/recovery/code, GET /admin/courier/messages). */
  routes?(routers: { public: Router; admin: Router }, deps: Deps): void;
  /** The AAL the identity's credentials of this type provide (aal1 first factor, aal2 second factor), if any. */
  credentialAal?(identity: Identity): AuthenticatorAssuranceLevel | undefined;
  /** Called once at start-up with the fully built dependencies (start workers, caches). */
  start?(deps: Deps): Promise<void> | void;
  stop?(): Promise<void> | void;

  login?: FlowStrategy<LoginResult>;
  registration?: FlowStrategy<RegistrationResult>;
  settings?: FlowStrategy<SettingsResult>;
  recovery?: FlowStrategy<FlowUpdatedResult>;
  verification?: FlowStrategy<FlowUpdatedResult>;
}

/** What a strategy sees while populating or handling one flow. */
export interface StrategyContext {
  deps: Deps;
  http: HttpContext;
  /** The current session (settings: always; login with refresh/aal2: the session being upgraded). */
  session?: Session;
  /** Settings: the identity being edited (with credentials). */
  identity?: Identity;
}

export interface FlowStrategy<R> {
  /** Adds this strategy's nodes to a new (or reset) flow. */
  populate(flow: Flow, ctx: StrategyContext): Promise<void> | void;
  /**
   * Handles a submission with `method === id`. Throw FlowValidationError for
   * user errors (the flow is re-rendered with the messages); return a result
   * for the flow folder to finish (issue session, run hooks, respond).
   */
  submit(flow: Flow, body: JsonObject, ctx: StrategyContext): Promise<R>;
  /**
   * Recovery/verification only: start the flow for a known address without a
   * form post (verification after registration, admin-created recovery).
   */
  initiate?(flow: Flow, target: { address: string; via: string }, ctx: StrategyContext): Promise<void>;
}

export interface LoginResult {
  identity: Identity;
  method: AuthenticationMethod;
}

export interface RegistrationResult {
  /** The new identity, built but not yet persisted (the flow persists it and runs hooks). */
  identity: Identity;
  method: AuthenticationMethod;
}

export interface SettingsResult {
  /** The identity with changes applied (persisted by the settings flow). */
  identity: Identity;
  /** True when the change needs a privileged (recently authenticated) session. */
  privileged: boolean;
  // [mfa] The two optional fields below were added for totp/lookup_secret/webauthn.
  /**
   * A factor the user just proved by enrolling it (TOTP code, confirmed
   * lookup codes, new security key): the settings flow adds it to the current
   * session after saving, as Kratos' SessionAddAuthenticationMethods does.
   */
  authenticationMethod?: AuthenticationMethod;
  /**
   * The strategy only changed what the flow shows (e.g. revealed or
   * regenerated lookup codes, kept in `flow.internal`): save the flow,
   * re-render it and answer with it (state unchanged, identity not updated,
   * no success message), like Kratos' ErrStrategyAsksToReturnToUI.
   */
  returnToUi?: boolean;
}

/** Recovery/verification: the strategy changed the flow (state, nodes, messages); or it wrote the response itself. */
export type FlowUpdatedResult = { kind: "flow" } | { kind: "responded" };

/** A user error: re-render the flow with these messages (400 for API/JSON, 303 back to the UI for browsers). */
export class FlowValidationError extends Error {
  override name = "FlowValidationError";
  constructor(
    readonly fieldErrors: FieldError[],
    /** Values to echo back into nodes (never secrets). */
    readonly echo: Record<string, unknown> = {},
  ) {
    super(fieldErrors.map((f) => f.message.text).join("; "));
  }

  static flow(message: UiText, echo: Record<string, unknown> = {}): FlowValidationError {
    return new FlowValidationError([{ name: undefined, message }], echo);
  }

  static field(name: string, message: UiText, echo: Record<string, unknown> = {}): FlowValidationError {
    return new FlowValidationError([{ name, message }], echo);
  }
}
