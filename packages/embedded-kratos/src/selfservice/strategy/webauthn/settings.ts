import { errors } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { messages } from "../../../ui/messages";
import type { SettingsFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { SettingsResult, StrategyContext, SettingsStrategy } from "../strategy";
import { registrationOptions, verifyRegistration } from "./ceremony";
import { webauthnConfig } from "./config";
import { countCredentials, b64, credentialHexId, userHandleOf, webauthnConfigOf, type StoredWebAuthnCredential } from "./credential";
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
  // Its buttons are posted without `method` too.
  responsible: ({ method, body }) =>
    method === "webauthn" || (method === "" && (pressed(body, "webauthn_register") || pressed(body, "webauthn_remove"))),
  async populate(flow: SettingsFlow, ctx: StrategyContext) {
    const identity = ctx.identity;
    if (!identity || flow.type !== "browser") return;
    const config = webauthnConfig(ctx.deps.config);
    const stored = webauthnConfigOf(identity)?.credentials ?? [];
    const firstFactors = firstFactorCount(ctx, identity);
    // Remove buttons share one name, so they are pushed rather than upserted.
    for (const credential of stored) flow.ui.nodes.push(removeNode(credential, credential.is_passwordless && firstFactors < 2));

    const { optionsJson, challenge } = await registrationOptions(config, { handle: userHandleOf(identity) }, stored);
    setWebauthnInternal(flow, { registration: { challenge } });
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

async function addKey(
  flow: SettingsFlow,
  body: Record<string, unknown>,
  ctx: StrategyContext,
  identity: Identity,
  register: string,
): Promise<SettingsResult> {
  const config = webauthnConfig(ctx.deps.config);
  const challenge = webauthnInternal(flow).registration?.challenge;
  if (!challenge)
    throw FlowValidationError.field(
      "webauthn_register",
      webauthnMessages.generic("The security key registration expired. Please try again."),
    );
  const created = await verifyRegistration(config, register, challenge);
  if (!created)
    throw FlowValidationError.field(
      "webauthn_register",
      webauthnMessages.generic("Unable to create WebAuthn credential: the security key's response could not be verified."),
    );

  const current = webauthnConfigOf(identity) ?? { credentials: [] };
  if (current.credentials.some((c) => c.id === created.id)) {
    throw FlowValidationError.field(
      "webauthn_register",
      webauthnMessages.generic("this security key or passkey is already registered with your account"),
    );
  }
  const identifiers = ctx.deps.identities.identifiersFor(identity.schemaId, identity.traits, "webauthn");
  if (identifiers.length === 0) throw FlowValidationError.flow(messages.identifierMissing());

  const displayName = typeof body.webauthn_register_displayname === "string" ? body.webauthn_register_displayname.trim().slice(0, 256) : "";
  const credential: StoredWebAuthnCredential = {
    id: created.id,
    public_key: created.publicKey,
    attestation_type: "none",
    authenticator: { aaguid: created.aaguid, sign_count: created.signCount, clone_warning: false },
    display_name: displayName,
    added_at: timeNow().roundSeconds().toISOString(),
    is_passwordless: config.passwordless,
    flags: {
      user_present: true,
      user_verified: created.userVerified,
      backup_eligible: created.backupEligible,
      backup_state: created.backedUp,
    },
    transport: created.transports,
  };
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
  const removed = current.credentials.find((c) => credentialHexId(c) === hexId.toLowerCase());
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

/** First factors the identity could still sign in with: passwordless keys each, plus every other first-factor credential type. */
function firstFactorCount(ctx: StrategyContext, identity: Identity): number {
  return ctx.deps.aal.otherFirstFactorTypes(identity, "webauthn") + countCredentials(identity, true);
}
