import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import type { KratosError } from "../../http/errors";
import type { JsonObject } from "../../http/body";
import type { Router } from "../../http/router";
import type { AuthenticatorAssuranceLevel, Identity } from "../../identity/identity";
import type { Migration } from "../../storage/migrate";
import type { NodeGroup } from "../../ui/node";
import type { UiText } from "../../ui/messages";
import type { AddressFlow, Flow, FlowKind, LoginFlow, RegistrationFlow, SettingsFlow } from "../flow/flow";
import type { FlowValidationError } from "../flow/validation-error";
import type { AuthenticationMethod, Session } from "../../session/session";

/**
 * A credential strategy (password, profile, code, link, totp, webauthn,
 * lookup_secret, ...). Each lives in its own folder under
 * selfservice/strategy/ and is listed once in ./all.ts.
 *
 * A strategy adds UI nodes to flows (`populate`), says which submissions are
 * its own (`responsible`) and handles them (`submit`). Flow folders own
 * everything else: lifecycle, CSRF, expiry, hooks, sessions and responses.
 * Strategies see `Deps`, never the registry that lists them.
 */
export interface Strategy {
  /** The `method` value and credential type, e.g. "password". */
  readonly id: string;
  /** UI node group the strategy's nodes use. */
  readonly group: NodeGroup;
  /**
   * Where the strategy's node group sits in each flow's UI (Kratos'
   * SortByGroups lists): lower weights first; the flow's own `default`
   * group weighs 0, so a negative weight comes before it. A flow the
   * strategy has no weight for puts its nodes last.
   */
  readonly nodeOrder: Partial<Record<FlowKind, number>>;
  /**
   * Its nodes are ordered by key among the flow's `default` nodes rather
   * than as a block (Kratos puts the password input right after the
   * identifier or trait it belongs to).
   */
  readonly sortsWithDefault?: boolean;
  /** Its recovery ends in a browser (a mailed link): a replacement of an expired API flow is a browser flow. */
  readonly completesInBrowser?: boolean;
  /** Inputs that carry secrets: never echoed back into a re-rendered form. */
  readonly secretInputs?: readonly string[];
  /**
   * The identity schema names this credential type's identifiers
   * (`ory.sh/kratos.credentials.<id>.identifier`), so they follow trait
   * changes — Kratos does this for password, code and webauthn.
   */
  readonly identifiersFromSchema?: boolean;
  /** Whether config turns the strategy on (selfservice.methods.<id>.enabled); asked per request, so a config reload applies. */
  enabled(config: KratosConfig): boolean;
  /**
   * Its routes check `enabled` on every request (as Kratos' handlers do), so
   * they are served even when the start-up config has it off: a reloaded
   * config can switch it on without a restart (social sign-in from Athena).
   */
  readonly switchableAtRunTime?: boolean;
  /**
   * When config has it off, Kratos' strategy passes every submission on
   * (ErrStrategyNotResponsible, as idfirst's Login does) instead of answering
   * flow.MethodEnabledAndAllowed's 404 "endpoint disabled".
   */
  readonly disabledIsNotResponsible?: boolean;
  /** Extra tables (applied after the core migrations, in registration order). */
  readonly migrations?: Migration[];
  /**
   * Admin endpoints Kratos registers whatever the config, behind strategy.IsDisabled:
   * when the strategy is off at start-up the server routes them to the 404
   * "endpoint disabled" answer (its `routes` are not registered then).
   */
  readonly guardedAdminRoutes?: readonly { method: string; path: string }[];
  /** Extra endpoints (e.g. POST /admin/recovery/code, the webauthn script). */
  routes?(routers: { public: Router; admin: Router }, deps: Deps): void;
  /** The AAL the identity's credentials of this type provide (aal1 first factor, aal2 second factor), if any, under `config`. */
  credentialAal?(identity: Identity, config: KratosConfig): AuthenticatorAssuranceLevel | undefined;
  /** Called once at start-up with the fully built dependencies (start workers, caches). */
  start?(deps: Deps): Promise<void> | void;
  stop?(): Promise<void> | void;

  /**
   * Kratos' LinkableStrategy.Link: adds credentials of this type that a
   * sign-up found duplicate (their config as the sign-up built it) to the
   * identity that just signed in, and names the method the session gains.
   */
  linkCredentials?(identity: Identity, config: Record<string, unknown>, deps: Deps): AuthenticationMethod | undefined;

  login?: LoginStrategy;
  registration?: RegistrationStrategy;
  settings?: SettingsStrategy;
  recovery?: AddressFlowStrategy;
  verification?: AddressFlowStrategy;
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

/** A submission as the flow received it: `method` from the body or the query ("" when absent). */
export interface Submission<F extends Flow = Flow> {
  flow: F;
  body: JsonObject;
  method: string;
}

export interface FlowStrategy<F extends Flow, R> {
  /**
   * Whether this submission is this strategy's. False is Kratos'
   * ErrStrategyNotResponsible: the flow asks the next strategy, and answers
   * "no strategy" when none is responsible. Without it a strategy answers
   * for `method === id`.
   */
  responsible?(submission: Submission<F>, ctx: StrategyContext): boolean;
  /**
   * Recovery/verification: the submission carries a secret the strategy
   * mailed (a link's token, a verification code), which proves the request
   * and replaces the CSRF check, as in Kratos.
   */
  carriesMailedSecret?(submission: Submission<F>): boolean;
  /**
   * What Kratos' strategy refuses before its flow.EnsureCSRF: decoderx.Decode
   * of the payload against the method's JSON schema (required fields, traits
   * against the identity schema). Throws FlowValidationError; the flow checks
   * CSRF after it and then calls `submit`, which may check the same again.
   */
  decode?(flow: F, body: JsonObject, ctx: StrategyContext): Promise<void> | void;
  /**
   * What the strategy's Kratos handler refuses before it can tell whether a
   * submission is its own (a validating decoderx.Decode ahead of its method
   * check, e.g. webauthn's Login on browser flows). Kratos asks every
   * strategy in order, enabled or not, so a submission that reaches this one
   * (a later strategy is responsible, or none is) gets this refusal first.
   * Throws as `decode` does.
   */
  screen?(submission: Submission<F>, ctx: StrategyContext): Promise<void> | void;
  /**
   * Where the strategy's Kratos handler makes flow.MethodEnabledAndAllowed
   * (the 404 "endpoint disabled" when config has it off) if not before its
   * own checks: `after-decode` — past its method schema, before EnsureCSRF
   * (webauthn and passkey Login and Settings, code and link Verify); `in-submit` — `submit` makes
   * it itself (`refuseIfOff`) where its handler does, after EnsureCSRF
   * (webauthn and passkey Register, code and link Recover).
   */
  readonly enabledCheck?: "after-decode" | "in-submit";
  /**
   * Whether this submission, though the strategy takes it, skips that check:
   * code's aal2 Login goes on without it when an `address` comes with
   * another `method` (MethodEnabledAndAllowed answers "not responsible").
   */
  skipsEnabledCheck?(submission: Submission<F>): boolean;
  /** Adds this strategy's nodes to a new (or reset) flow. */
  populate(flow: F, ctx: StrategyContext): Promise<void> | void;
  /**
   * Handles a submission it is responsible for. Throw FlowValidationError for
   * user errors (the flow is re-rendered with the messages); return a result
   * for the flow folder to finish (issue session, run hooks, respond).
   */
  submit(flow: F, body: JsonObject, ctx: StrategyContext): Promise<R>;
  /**
   * Recovery/verification only: start the flow for a known address without a
   * form post (verification after registration, admin-created recovery).
   */
  initiate?(flow: F, target: { address: string; via: string }, ctx: StrategyContext): Promise<void>;
}

/** A strategy's part in each flow kind. */
export interface LoginStrategy extends FlowStrategy<LoginFlow, LoginResult> {
  /**
   * `selfservice.flows.login.style: identifier_first`, first screen (Kratos'
   * PopulateLoginMethodIdentifierFirstIdentification): the nodes shown before
   * the identifier is known — none when absent (password, code).
   */
  populateIdentification?(flow: LoginFlow, ctx: StrategyContext): Promise<void> | void;
  /**
   * Runs once every strategy has populated a (one-step) login form, for
   * changes to the whole form — the oidc strategy's account-linking form
   * (populateAccountLinkingUI) filters and relabels the nodes all strategies
   * rendered, whatever their order.
   */
  finishForm?(flow: LoginFlow, ctx: StrategyContext): Promise<void> | void;
  /**
   * Kratos' FastLoginStrategy.FastLogin2FA, asked once a new flow is stored:
   * true when the strategy moved the flow on by itself (a code sent at
   * once); the flow handler then re-renders, saves and answers it.
   */
  fastLogin?(flow: LoginFlow, ctx: StrategyContext): Promise<boolean>;
  /**
   * Second screen (PopulateLoginMethodIdentifierFirstCredentials): the nodes
   * for the account the identifier names. Returns false for Kratos'
   * idfirst.ErrNoCredentialsFound (the account, if any, has no such
   * credential); under `security.account_enumeration.mitigate` it adds its
   * nodes whatever it found, and `identity` carries no credentials.
   */
  populateIdentifierFirstCredentials?(
    flow: LoginFlow,
    hint: { identity: Identity | undefined; identifier: string },
    ctx: StrategyContext,
  ): Promise<boolean> | boolean;
}
export interface RegistrationStrategy extends FlowStrategy<RegistrationFlow, RegistrationResult> {
  /**
   * `selfservice.flows.registration.style: profile_first`, profile screen
   * (Kratos' PopulateRegistrationMethodProfile): none when absent
   * (password, code and webauthn show nothing there).
   */
  populateProfile?(flow: RegistrationFlow, ctx: StrategyContext): Promise<void> | void;
  /**
   * A submission this strategy handles without Kratos' EnsureCSRF (the
   * profile strategy's `screen=previous`, which only shows the profile
   * screen again); the registration flow then skips its CSRF check.
   */
  skipsCsrfCheck?(submission: Submission<RegistrationFlow>): boolean;
  /** Credential-selection screen (PopulateRegistrationMethodCredentials), once the traits passed the schema. */
  populateCredentials?(flow: RegistrationFlow, traits: Record<string, unknown>, ctx: StrategyContext): Promise<void> | void;
  /** Like LoginStrategy.finishForm: runs once every strategy populated the (one-step) form, which it may replace. */
  finishForm?(flow: RegistrationFlow, ctx: StrategyContext): Promise<void> | void;
}
export type SettingsStrategy = FlowStrategy<SettingsFlow, SettingsResult>;
export interface AddressFlowStrategy extends FlowStrategy<AddressFlow, AddressFlowResult> {
  /**
   * The flow's CSRF check refused the submission: a retry to answer instead
   * of the refusal, or undefined to let the flow's error handler answer it
   * (code recovery's retryRecoveryFlow; the others answer the refusal).
   */
  csrfRefused?(error: KratosError, ctx: StrategyContext): Extract<AddressFlowResult, { kind: "retry" }> | undefined;
  /**
   * Its handler makes EnsureCSRF itself, later than the flow would: `submit`
   * calls checkCsrf where Kratos does (link Recover: after the session and
   * state checks, just before mailing the link).
   */
  readonly checksCsrfInSubmit?: boolean;
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
  /**
   * A factor the user just proved by enrolling it (TOTP code, confirmed
   * lookup codes, new security key): the settings flow adds it to the current
   * session after saving, as Kratos' SessionAddAuthenticationMethods does.
   */
  authenticationMethod?: AuthenticationMethod;
  /**
   * The strategy only changed what the flow shows (e.g. revealed or
   * regenerated lookup codes, kept in `flow.internal`, its nodes already
   * changed in `flow.ui`): save the flow and answer with it as it is — not
   * re-rendered or sorted; state unchanged, identity not updated, no success
   * message — like Kratos' ErrStrategyAsksToReturnToUI.
   */
  returnToUi?: boolean;
}

/**
 * What a recovery or verification strategy reports:
 * - `flow`: it changed the flow (state, nodes, messages); the flow saves and answers it;
 * - `responded`: it wrote the response itself;
 * - `recovered`: the person proved the address; the recovery flow signs them in;
 * - `retry`: a mailed link was used, unknown or expired, or the flow already
 *   passed; the flow starts over with a fresh flow of this strategy carrying
 *   `message`. `answer` is how the strategy's retry<Kind>FlowWithMessage
 *   answers: `link` (default) — a browser flow and a 303 whatever the client,
 *   since a mailed link is opened by a browser; `code` — the old flow's type,
 *   and JSON clients get 410 naming the new flow (`self_service_flow_expired`
 *   when `expiredAt` is set, else `self_service_flow_replaced` with
 *   `replacedReason`, by default Kratos' "An error occured, please use the new flow.");
 *   `code_recovery` — code.Strategy.retryRecoveryFlow: the old flow's type, a
 *   303 to the new flow's JSON for JSON clients and to the UI otherwise; with
 *   `feature_flags.use_continue_with_transitions` JSON clients get `error`
 *   with `continue_with: show_recovery_ui` in its details instead;
 * - `not_responsible`: past its own checks the submission turned out not to
 *   be its own (Kratos' ErrStrategyNotResponsible from a strategy's later
 *   flow.MethodEnabledAndAllowed): the flow asks the strategies after it.
 */
export type AddressFlowResult =
  /** The flow as the strategy left it; `status` 400 when it carries the strategy's own refusal (recovery v2). */
  | {
      kind: "flow";
      status?: 200 | 400;
      /**
       * Another flow the strategy acted on (recovery's body `flow`, see flow/recovery/body-flow.ts): it is saved
       * and the handler's flow is answered as stored — unless `answerActed`, when the strategy answers with it.
       */
      acted?: Flow;
      answerActed?: boolean;
    }
  | { kind: "not_responsible" }
  | { kind: "responded" }
  /** `acted`: the body's flow that passed (recoveryIssueSession on it). */
  | { kind: "recovered"; identityId: string; method: AuthenticationMethod["method"]; acted?: Flow }
  /** The body's flow expired (its Valid()): the handler's error handler replaces the handler's flow. */
  | { kind: "expired"; expiredAt: Date }
  | {
      kind: "retry";
      /** The body's flow, whose type the new flow takes (retryRecoveryFlow(w, r, recoveryFlow.Type, …)). */
      acted?: Flow;
      /** The new flow's message, or a hook's refusal whose messages it carries instead (ui ParseError). */
      message: UiText | FlowValidationError;
      answer?: "link" | "code" | "code_recovery";
      expiredAt?: Date;
      replacedReason?: string;
      /** `code_recovery`: the error the retry carries (RetryWithError), answered to JSON clients with continue_with transitions. */
      error?: KratosError;
      /** The new flow is a browser flow whatever the old one was (retryRecoveryFlow called with flow.TypeBrowser). */
      browserFlow?: boolean;
      /** The new flow keeps the old one's type (link's retryRecoveryFlowWithMessage(req.Type)): API flows are sent to its JSON. */
      keepFlowType?: boolean;
    };
