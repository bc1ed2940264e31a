import type { Identity } from "../../../identity/identity";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import { messages, type UiText } from "../../../ui/messages";
import { csrfNode, inputNode } from "../../../ui/node";
import { urlWithFlow, type LoginFlow } from "../../flow/flow";
import { loginFlow as loginDefinition } from "../../flow/login/definition";
import { sessionIdentityWithCredentials } from "../session-identity";
import { FlowValidationError } from "../../flow/validation-error";
import type { LoginResult, StrategyContext, LoginStrategy } from "../strategy";
import { authenticationOptions, readAuthenticationResponse, verifyAuthentication } from "./ceremony";
import { errors } from "../../../http/errors";
import { CompletedByStrategy } from "../../flow/completed-by-strategy";
import { webauthnConfig } from "./config";
import { countCredentials, credentialsForAal, webauthnConfigOf } from "./credential";
import { setWebauthnInternal, webauthnInternal } from "./internal";
import { webauthnMessages } from "./messages";
import { hiddenIdentifierNode, loginInputNode, loginTriggerNode, passwordlessSubmitNode, scriptNode } from "./nodes";
import { hasText } from "../submission";
import { refuseBySchema } from "../../flow/transient-payload";
import { now as timeNow } from "../../../clock/clock";

/**
 * Security-key login, browser flows only (as in Kratos):
 * - second factor (`passwordless: false`): offered on aal2 flows to identities with keys;
 * - first factor (`passwordless: true`): step one asks for the identifier,
 *   step two offers that identity's passwordless keys.
 */
export const webauthnLogin: LoginStrategy = {
  // Kratos' webauthn.js submits the form without `method`; a filled `webauthn_login` is this strategy's. Login passes
  // non-browser flows on before its method check (login.go Strategy.Login).
  responsible: ({ flow, method, body }) =>
    flow.type === "browser" && (method === "webauthn" || (method === "" && hasText(body, "webauthn_login"))),
  // login.go Strategy.Login: a browser flow's body is decoded against login.schema.json before the strategy asks
  // whether it is its own, so whatever reaches it (lookup_secret, identifier_first, an unknown method) meets its schema.
  screen: ({ flow, body }) => {
    if (flow.type === "browser") refuseBySchema("webauthn", "login", body);
  },
  // Login: MethodEnabledAndAllowed comes after that decode and before EnsureCSRF.
  enabledCheck: "after-decode",
  async populate(flow: LoginFlow, ctx: StrategyContext) {
    if (flow.type !== "browser") return;
    if (flow.refresh) return populateRefresh(flow, ctx);
    const config = webauthnConfig(ctx.deps.config);
    if (!config.passwordless) {
      if (flow.requestedAal !== "aal2") return;
      const identity = await sessionIdentityWithCredentials(ctx);
      if (identity) await offerKeys(flow, ctx, identity, "aal2");
      return;
    }
    if (flow.requestedAal === "aal2") return;
    const step = webauthnInternal(flow).passwordless;
    const identity = step ? await ctx.deps.identityRepository.get(step.identityId, { withCredentials: true }) : undefined;
    if (step && identity && (await offerKeys(flow, ctx, identity, "aal1"))) {
      flow.ui.append(hiddenIdentifierNode(step.identifier, true));
      return;
    }
    flow.ui.append(
      inputNode("default", "identifier", "text", {
        required: true,
        autocomplete: "username webauthn",
        label: loginIdentifierLabel(ctx.deps.schemas, flow),
      }),
      passwordlessSubmitNode(),
    );
  },

  /**
   * PopulateLoginMethodIdentifierFirstCredentials (browser flows with
   * passwordless keys): the "Sign in with hardware key" submit for an account
   * with passwordless keys (any account under mitigation); once that submit
   * asked for the account's keys, their options.
   */
  async populateIdentifierFirstCredentials(flow, { identity }, ctx) {
    if (flow.type !== "browser" || !webauthnConfig(ctx.deps.config).passwordless) return false;
    const step = webauthnInternal(flow).passwordless;
    if (step && identity?.id === step.identityId) {
      const owner = await ctx.deps.identityRepository.get(step.identityId, { withCredentials: true });
      if (owner && (await offerKeys(flow, ctx, owner, "aal1"))) return true;
    }
    const found = identity !== undefined && countCredentials(identity, true) > 0;
    if (found || ctx.deps.config.security.account_enumeration.mitigate)
      flow.ui.append(inputNode("webauthn", "method", "submit", { value: "webauthn", label: webauthnMessages.loginTrigger() }));
    return found;
  },

  async submit(flow, body, ctx) {
    if (flow.type !== "browser") throw FlowValidationError.flow(messages.noStrategy("login"));
    // login.schema.json: with `method: webauthn` or a filled `webauthn_login`, a non-empty `identifier` is required.
    if (typeof body.identifier !== "string") throw FlowValidationError.field("identifier", messages.required("identifier"));
    if (body.identifier === "") throw FlowValidationError.field("identifier", messages.minLength(1, 0));
    const config = webauthnConfig(ctx.deps.config);
    // Login: a refresh at aal1 takes the passwordless path whatever the config.
    if (!config.passwordless && !(flow.refresh && (flow.requestedAal ?? "aal1") === "aal1")) {
      if (flow.requestedAal !== "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
      // loginMultiFactor: the session's identity, whatever identifier was sent.
      const identity = await sessionIdentityWithCredentials(ctx);
      if (!identity) throw FlowValidationError.flow(webauthnMessages.noDevice());
      return authenticate(flow, body, ctx, identity, "aal2");
    }
    if (flow.requestedAal === "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    return passwordless(flow, body, ctx);
  },
};

/** populateLoginMethodRefresh: the session identity's keys for the requested AAL, labelled 1010008, its identifier hidden. */
async function populateRefresh(flow: LoginFlow, ctx: StrategyContext): Promise<void> {
  const identity = await sessionIdentityWithCredentials(ctx);
  const identifier = identity?.credentials.webauthn?.identifiers[0];
  if (!identity || !identifier) return;
  const aal = flow.requestedAal === "aal2" ? "aal2" : "aal1";
  if (await offerKeys(flow, ctx, identity, aal, webauthnMessages.loginTrigger())) flow.ui.upsert(hiddenIdentifierNode(identifier));
}

/** populateLoginMethod: adds the assertion options for the identity's keys at `aal`; false when it has none. */
async function offerKeys(
  flow: LoginFlow,
  ctx: StrategyContext,
  identity: Identity,
  aal: "aal1" | "aal2",
  label: UiText = aal === "aal1" ? webauthnMessages.loginContinue() : webauthnMessages.loginTrigger(),
): Promise<boolean> {
  const keys = credentialsForAal(webauthnConfigOf(identity), aal);
  if (keys.length === 0) return false;
  const kept = webauthnInternal(flow).login;
  const { optionsJson, challenge } = kept?.optionsJson
    ? { optionsJson: kept.optionsJson, challenge: kept.challenge }
    : await authenticationOptions(webauthnConfig(ctx.deps.config), keys);
  setWebauthnInternal(flow, { login: { challenge, optionsJson } });
  const identifier = identity.credentials.webauthn?.identifiers[0];
  if (identifier && aal === "aal2") flow.ui.append(hiddenIdentifierNode(identifier));
  flow.ui.append(scriptNode(ctx.deps.config.publicBaseUrl), loginTriggerNode(optionsJson, label), loginInputNode());
  return true;
}

/**
 * loginPasswordless: the identity is the one the sent identifier names (at
 * both steps); without an answer, step one offers its passwordless keys.
 */
async function passwordless(flow: LoginFlow, body: Record<string, unknown>, ctx: StrategyContext): Promise<LoginResult> {
  const identifier = typeof body.identifier === "string" ? body.identifier : "";
  const found = await ctx.deps.identityRepository.findByCredentialIdentifier("webauthn", identifier);
  if (!found) throw FlowValidationError.flow(webauthnMessages.noSuchUser(), { identifier });
  const login = typeof body.webauthn_login === "string" ? body.webauthn_login : "";
  if (login !== "") return authenticate(flow, body, ctx, found.identity, "aal1");

  // Step one: the identity's passwordless keys, on a form of their own.
  if (credentialsForAal(webauthnConfigOf(found.identity), "aal1").length === 0) {
    throw FlowValidationError.flow(webauthnMessages.noSuchUser(), { identifier });
  }
  // populateLoginMethod runs BeginLogin afresh for this identity's keys; later re-renders show them again (populate).
  setWebauthnInternal(flow, { passwordless: { identifier, identityId: found.identity.id }, login: undefined });
  return showKeys(flow, ctx, found.identity, identifier);
}

/**
 * loginPasswordless without an answer: "Reset all nodes to not confuse
 * users" — the form becomes the identifier (hidden, as sent), the CSRF
 * token and the key's script, trigger and input, with 1010012; the flow is
 * saved and the browser sent to the login UI (303), a JSON client told to
 * go there (422 browser_location_change_required).
 */
async function showKeys(flow: LoginFlow, ctx: StrategyContext, identity: Identity, identifier: string): Promise<never> {
  flow.ui.nodes = [];
  const stored = identity.credentials.webauthn?.identifiers[0];
  if (stored) flow.ui.nodes.push(hiddenIdentifierNode(stored));
  flow.ui.nodes.push(csrfNode(flow.csrfToken));
  await offerKeys(flow, ctx, identity, "aal1");
  flow.ui.messages.push(webauthnMessages.passwordlessPrepare());
  const node = hiddenIdentifierNode(identifier, true);
  const at = flow.ui.nodes.findIndex((n) => n.type === "input" && n.attributes.name === "identifier");
  if (at >= 0) flow.ui.nodes[at] = node;
  else flow.ui.nodes.push(node);
  await ctx.deps.flows.save(flow);

  const uiUrl = loginDefinition.uiUrl(ctx.deps.config) ?? `${ctx.deps.config.publicBaseUrl}self-service/login/browser`;
  const target = urlWithFlow(uiUrl, flow.id);
  if (ctx.http.isJsonRequest) throw errors.browserLocationChangeRequired(target);
  ctx.http.redirect(target);
  throw new CompletedByStrategy();
}

/**
 * loginAuthenticate: an identity without a webauthn credential is
 * NewNoWebAuthnRegistered; an answer that does not parse is a 400; one
 * that does not verify against the keys for `aal` (none included) is
 * NewWebAuthnVerifierWrongError. Kratos stores nothing about the key after
 * a sign-in (no sign count, no flags).
 */
async function authenticate(
  flow: LoginFlow,
  body: Record<string, unknown>,
  ctx: StrategyContext,
  identity: Identity,
  aal: "aal1" | "aal2",
): Promise<LoginResult> {
  if (!identity.credentials.webauthn) throw FlowValidationError.flow(webauthnMessages.noDevice());
  if (!readAuthenticationResponse(body.webauthn_login)) throw errors.badRequest("Unable to parse WebAuthn response.");
  const challenge = webauthnInternal(flow).login?.challenge;
  // A refresh accepts any of the identity's keys (Credentials.ToWebAuthn).
  const stored = webauthnConfigOf(identity);
  const keys = flow.refresh ? (stored?.credentials ?? []) : credentialsForAal(stored, aal);
  const verified = challenge
    ? await verifyAuthentication(webauthnConfig(ctx.deps.config), body.webauthn_login, challenge, keys)
    : undefined;
  if (!verified) throw FlowValidationError.flow(webauthnMessages.verifierWrong());

  // A challenge answers once.
  setWebauthnInternal(flow, { login: undefined, passwordless: undefined });
  // CompletedAuthenticationMethod: the AAL follows the config, not the path taken.
  const methodAal = webauthnConfig(ctx.deps.config).passwordless ? "aal1" : "aal2";
  return { identity, method: { method: "webauthn", aal: methodAal, completed_at: timeNow().toISOString() } };
}
