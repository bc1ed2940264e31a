import type { Identity } from "../../../identity/identity";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import type { LoginFlow } from "../../flow/flow";
import { forgetSessionIdentity, sessionIdentityWithCredentials } from "../session-identity";
import { FlowValidationError } from "../../flow/validation-error";
import type { LoginResult, StrategyContext, LoginStrategy } from "../strategy";
import { authenticationOptions, verifyAuthentication } from "./ceremony";
import { webauthnConfig } from "./config";
import { countCredentials, credentialsForAal, webauthnConfigOf } from "./credential";
import { setWebauthnInternal, webauthnInternal } from "./internal";
import { webauthnMessages } from "./messages";
import { hiddenIdentifierNode, loginInputNode, loginTriggerNode, passwordlessSubmitNode, scriptNode } from "./nodes";
import { hasText } from "../submission";
import { now as timeNow } from "../../../clock/clock";

/**
 * Security-key login, browser flows only (as in Kratos):
 * - second factor (`passwordless: false`): offered on aal2 flows to identities with keys;
 * - first factor (`passwordless: true`): step one asks for the identifier,
 *   step two offers that identity's passwordless keys.
 */
export const webauthnLogin: LoginStrategy = {
  // Kratos' webauthn.js submits the form without `method`; a filled `webauthn_login` is this strategy's.
  responsible: ({ method, body }) => method === "webauthn" || (method === "" && hasText(body, "webauthn_login")),
  async populate(flow: LoginFlow, ctx: StrategyContext) {
    if (flow.type !== "browser") return;
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
    const config = webauthnConfig(ctx.deps.config);
    if (!config.passwordless) {
      if (flow.requestedAal !== "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
      const identity = await sessionIdentityWithCredentials(ctx);
      if (!identity || credentialsForAal(webauthnConfigOf(identity), "aal2").length === 0)
        throw FlowValidationError.flow(webauthnMessages.noDevice());
      return authenticate(flow, body, ctx, identity, "aal2");
    }
    if (flow.requestedAal === "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    return passwordless(flow, body, ctx);
  },
};

/** Adds the assertion options for the identity's keys at `aal`; false when it has none. */
async function offerKeys(flow: LoginFlow, ctx: StrategyContext, identity: Identity, aal: "aal1" | "aal2"): Promise<boolean> {
  const keys = credentialsForAal(webauthnConfigOf(identity), aal);
  if (keys.length === 0) return false;
  const { optionsJson, challenge } = await authenticationOptions(webauthnConfig(ctx.deps.config), keys);
  setWebauthnInternal(flow, { login: { challenge } });
  const identifier = identity.credentials.webauthn?.identifiers[0];
  if (identifier && aal === "aal2") flow.ui.append(hiddenIdentifierNode(identifier));
  flow.ui.append(
    scriptNode(ctx.deps.config.publicBaseUrl),
    loginTriggerNode(optionsJson, aal === "aal1" ? webauthnMessages.loginContinue() : webauthnMessages.loginTrigger()),
    loginInputNode(),
  );
  return true;
}

async function passwordless(flow: LoginFlow, body: Record<string, unknown>, ctx: StrategyContext): Promise<LoginResult> {
  const login = typeof body.webauthn_login === "string" ? body.webauthn_login : "";
  const step = webauthnInternal(flow).passwordless;
  if (login !== "" && step) {
    const identity = await ctx.deps.identityRepository.get(step.identityId, { withCredentials: true });
    if (!identity) throw FlowValidationError.flow(webauthnMessages.noSuchUser());
    return authenticate(flow, body, ctx, identity, "aal1");
  }

  // Step one: find the identity's passwordless keys and show the flow again with their options.
  const identifier = typeof body.identifier === "string" ? body.identifier.trim() : "";
  if (identifier === "") throw FlowValidationError.field("identifier", messages.required("identifier"));
  const found = await ctx.deps.identityRepository.findByCredentialIdentifier("webauthn", identifier);
  if (!found || credentialsForAal(webauthnConfigOf(found.identity), "aal1").length === 0) {
    throw FlowValidationError.flow(webauthnMessages.noSuchUser(), { identifier });
  }
  setWebauthnInternal(flow, { passwordless: { identifier, identityId: found.identity.id } });
  // Re-rendering shows the key options (populate reads the step above) with Kratos' "prepare your device" message.
  throw FlowValidationError.flow(webauthnMessages.passwordlessPrepare());
}

async function authenticate(
  flow: LoginFlow,
  body: Record<string, unknown>,
  ctx: StrategyContext,
  identity: Identity,
  aal: "aal1" | "aal2",
): Promise<LoginResult> {
  const challenge = webauthnInternal(flow).login?.challenge;
  const keys = credentialsForAal(webauthnConfigOf(identity), aal);
  const verified = challenge
    ? await verifyAuthentication(webauthnConfig(ctx.deps.config), body.webauthn_login, challenge, keys)
    : undefined;
  if (!verified) throw FlowValidationError.flow(webauthnMessages.verifierWrong());

  // A challenge answers once.
  setWebauthnInternal(flow, { login: undefined, passwordless: undefined });
  await saveSignCount(ctx, identity, verified.credential.id, verified.newCounter);
  return { identity, method: { method: "webauthn", aal, completed_at: timeNow().toISOString() } };
}

/** Persists the authenticator's signature counter (clone detection), as Kratos does after a login. */
async function saveSignCount(ctx: StrategyContext, identity: Identity, credentialId: string, counter: number): Promise<void> {
  const credential = identity.credentials.webauthn;
  const config = webauthnConfigOf(identity);
  if (!credential || !config) return;
  const credentials = config.credentials.map((c) =>
    c.id === credentialId && counter > (c.authenticator?.sign_count ?? 0)
      ? {
          ...c,
          authenticator: {
            aaguid: c.authenticator?.aaguid ?? null,
            clone_warning: c.authenticator?.clone_warning ?? false,
            sign_count: counter,
          },
        }
      : c,
  );
  credential.config = { ...config, credentials };
  await ctx.deps.identityRepository.updateCredentialConfig(credential.id, credential.config);
  forgetSessionIdentity(ctx);
}
