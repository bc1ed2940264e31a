import type { JsonObject } from "../../../http/body";
import { errors } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { countActiveFirstFactorCredentials } from "../../../identity/first-factor";
import { messages } from "../../../ui/messages";
import type { SettingsFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { SettingsResult, StrategyContext, SettingsStrategy } from "../strategy";
import { registrationOptions } from "./ceremony";
import { credentialFromWebAuthn, verifyCreation } from "./new-credential";
import { webauthnConfig } from "./config";
import { b64, credentialHexId, userHandleOf, webauthnConfigOf } from "./credential";
import { setWebauthnInternal, webauthnInternal } from "./internal";
import { webauthnMessages } from "./messages";
import { displayNameNode, registerInputNode, registerTriggerNode, removeNode, scriptNode } from "./nodes";
import { pressed } from "../submission";
import { now as timeNow } from "../../../clock/clock";

/**
 * Settings (browser flows only, as in Kratos): list keys with a remove
 * button each, and offer registration of a new key with fresh options.
 */
export const webauthnSettings: SettingsStrategy = {
  // settings.go Settings: a browser flow with one of its two buttons filled is this strategy's, whatever `method`
  // names (its buttons are posted without one); anything else is ErrStrategyNotResponsible.
  responsible: ({ flow, body }) => flow.type === "browser" && (pressed(body, "webauthn_register") || pressed(body, "webauthn_remove")),
  // decodeSettingsFlow (settings.schema.json): a filled `webauthn_register` requires a non-empty `webauthn_register_displayname`.
  decode: (_flow, body) => requireDisplayName(body),
  // Settings: MethodEnabledAndAllowed after decodeSettingsFlow, before continueSettingsFlow's EnsureCSRF.
  enabledCheck: "after-decode",
  async populate(flow: SettingsFlow, ctx: StrategyContext) {
    const identity = ctx.identity;
    if (!identity || flow.type !== "browser") return;
    const config = webauthnConfig(ctx.deps.config);
    const stored = webauthnConfigOf(identity)?.credentials ?? [];
    const firstFactors = firstFactorCount(ctx, identity);
    // Remove buttons share one name, so they are pushed rather than upserted.
    for (const credential of stored) flow.ui.nodes.push(removeNode(credential, credential.is_passwordless && firstFactors < 2));

    // webauthnx.NewUser(id.ID.Bytes(), nil, …): Kratos excludes none of the identity's keys.
    const kept = webauthnInternal(flow).registration;
    const { optionsJson, challenge } = kept?.optionsJson
      ? { optionsJson: kept.optionsJson, challenge: kept.challenge }
      : await registrationOptions(config, { handle: userHandleOf(identity) }, []);
    setWebauthnInternal(flow, { registration: { challenge, optionsJson } });
    flow.ui.append(scriptNode(ctx.deps.config.publicBaseUrl), displayNameNode(), registerTriggerNode(optionsJson), registerInputNode());
  },

  async submit(flow, body, ctx) {
    const identity = ctx.identity;
    if (!identity || flow.type !== "browser") throw FlowValidationError.flow(messages.noStrategy("settings"));
    const register = typeof body.webauthn_register === "string" ? body.webauthn_register : "";
    const remove = typeof body.webauthn_remove === "string" ? body.webauthn_remove : "";
    if (register !== "") return addKey(flow, body, ctx, identity, register);
    if (remove !== "") return removeKey(ctx, identity, remove);
    throw FlowValidationError.flow(messages.noStrategy("settings"));
  },
};

/** settings.schema.json's if/then: a non-empty `webauthn_register` requires a non-empty `webauthn_register_displayname`. */
function requireDisplayName(body: JsonObject): void {
  if (typeof body.webauthn_register !== "string" || body.webauthn_register === "") return;
  const displayName = body.webauthn_register_displayname;
  if (typeof displayName !== "string")
    throw FlowValidationError.field("webauthn_register_displayname", messages.required("webauthn_register_displayname"));
  if (displayName === "") throw FlowValidationError.field("webauthn_register_displayname", messages.minLength(1, 0));
}

async function addKey(
  flow: SettingsFlow,
  body: Record<string, unknown>,
  ctx: StrategyContext,
  identity: Identity,
  register: string,
): Promise<SettingsResult> {
  const displayName = typeof body.webauthn_register_displayname === "string" ? body.webauthn_register_displayname : "";

  const config = webauthnConfig(ctx.deps.config);
  const challenge = webauthnInternal(flow).registration?.challenge;
  if (!challenge) throw errors.badRequest("Expected WebAuthN in internal context to be an object.");
  const created = await verifyCreation(config, register, challenge);

  const current = webauthnConfigOf(identity) ?? { credentials: [] };
  const identifiers = ctx.deps.identities.identifiersFor(identity.schemaId, identity.traits, "webauthn");
  if (identifiers.length === 0) throw FlowValidationError.flow(messages.identifierMissing());

  // continueSettingsFlowAdd: stored as sent; passwordless follows the config.
  const credential = credentialFromWebAuthn(created, config.passwordless, displayName, timeNow());
  ctx.deps.identities.setCredential(identity, {
    type: "webauthn",
    identifiers,
    config: { credentials: [...current.credentials, credential], user_handle: b64.encode(userHandleOf(identity)) },
    version: 1,
  });
  setWebauthnInternal(flow, { registration: undefined });
  return {
    identity,
    privileged: true,
    authenticationMethod: { method: "webauthn", aal: config.passwordless ? "aal1" : "aal2", completed_at: timeNow().toISOString() },
  };
}

function removeKey(ctx: StrategyContext, identity: Identity, hexId: string): SettingsResult {
  const current = webauthnConfigOf(identity);
  const credential = identity.credentials.webauthn;
  if (!current || !credential) throw errors.badRequest("You tried to remove a WebAuthn but you have no WebAuthn set up.");
  // fmt.Sprintf("%x", cred.ID) != p.Remove: lower-case hex, compared exactly.
  const removed = current.credentials.find((c) => credentialHexId(c) === hexId);
  if (!removed) throw errors.badRequest("You tried to remove a WebAuthn credential which does not exist.");
  if (removed.is_passwordless && firstFactorCount(ctx, identity) < 2) {
    throw FlowValidationError.field(
      "webauthn_remove",
      webauthnMessages.generic("unable to remove this security key because it would lock you out of your account"),
    );
  }
  const remaining = current.credentials.filter((c) => c !== removed);
  if (remaining.length === 0) {
    const { webauthn: _gone, ...rest } = identity.credentials;
    identity.credentials = rest;
  } else {
    ctx.deps.identities.setCredential(identity, {
      type: "webauthn",
      identifiers: credential.identifiers,
      config: { ...current, credentials: remaining },
      version: credential.version,
    });
  }
  return { identity, privileged: true };
}

/** IdentityManager.CountActiveFirstFactorCredentials: every strategy's count, with the identity as it is before the change. */
function firstFactorCount(ctx: StrategyContext, identity: Identity): number {
  return countActiveFirstFactorCredentials(identity, ctx.deps.config);
}
