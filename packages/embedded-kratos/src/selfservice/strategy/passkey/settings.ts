import { now as timeNow } from "../../../clock/clock";
import { errors, KratosError } from "../../../http/errors";
import type { Identity } from "../../../identity/identity";
import { countActiveFirstFactorCredentials } from "../../../identity/first-factor";
import { messages } from "../../../ui/messages";
import type { SettingsFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { SettingsResult, SettingsStrategy, StrategyContext } from "../strategy";
import { registrationOptions } from "../webauthn/ceremony";
import { b64, credentialHexId } from "../webauthn/credential";
import { webauthnMessages } from "../webauthn/messages";
import { scriptNode } from "../webauthn/nodes";
import { passkeyConfig } from "./config";
import { newPasskeyCredential, newUserHandle, passkeyConfigOf, verifyPasskeyCreation } from "./credential";
import { passkeyDisplayName } from "./display-name";
import { passkeyInternal, setPasskeyInternal } from "./internal";
import { createDataNode, removeNode, settingsInputNode, settingsTriggerNode } from "./nodes";

const text = (body: Record<string, unknown>, key: string): string => (typeof body[key] === "string" ? body[key] : "");

/**
 * Passkeys in settings (passkey_settings.go): each one with a remove button
 * (disabled while it is the last way to sign in), and a new one registered
 * with fresh options bound to a new user handle.
 */
export const passkeySettings: SettingsStrategy = {
  // Settings: "This method has only two submit buttons"; neither filled is ErrStrategyNotResponsible.
  responsible: ({ body }) => text(body, "passkey_settings_register") !== "" || text(body, "passkey_remove") !== "",
  // passkey_settings.go Settings: MethodEnabledAndAllowed after decodeSettingsFlow, before continueSettingsFlow's EnsureCSRF.
  enabledCheck: "after-decode",

  async populate(flow, ctx) {
    const identity = ctx.identity;
    if (!identity) return;
    const count = countActiveFirstFactorCredentials(identity, ctx.deps.config);
    for (const credential of passkeyConfigOf(identity)?.credentials ?? []) flow.ui.nodes.push(removeNode(credential, count < 2));

    const name = passkeyDisplayName(ctx.deps.identities.schemaOf(identity.schemaId), identity.traits);
    if (name === "") {
      flow.ui.addMessage(messages.identifierMissing());
      return;
    }
    const userHandle = newUserHandle();
    const { optionsJson, challenge } = await registrationOptions(
      passkeyConfig(ctx.deps.config),
      { handle: new Uint8Array(Buffer.from(userHandle)), name },
      [],
      "passkey",
    );
    setPasskeyInternal(flow, { registration: { challenge, userHandle, optionsJson } });
    const browser = flow.type === "browser";
    if (browser) flow.ui.upsert(scriptNode(ctx.deps.config.publicBaseUrl));
    flow.ui.append(settingsTriggerNode(browser), settingsInputNode(), createDataNode(optionsJson));
  },

  async submit(flow, body, ctx) {
    const identity = ctx.identity;
    if (!identity) throw FlowValidationError.flow(messages.noStrategy("settings"));
    const remove = text(body, "passkey_remove");
    if (remove !== "") return removePasskey(ctx, identity, remove);
    return addPasskey(flow, text(body, "passkey_settings_register"), ctx, identity);
  },
};

/** continueSettingsFlowRemove. */
function removePasskey(ctx: StrategyContext, identity: Identity, hexId: string): SettingsResult {
  const credential = identity.credentials.passkey;
  const current = passkeyConfigOf(identity);
  if (!credential || !current) throw errors.badRequest("You tried to remove a WebAuthn but you have no WebAuthn set up.");
  const remaining = current.credentials.filter((c) => credentialHexId(c) !== hexId);
  if (remaining.length === current.credentials.length) throw errors.badRequest("You tried to remove a passkey which does not exist.");
  if (countActiveFirstFactorCredentials(identity, ctx.deps.config) < 2) {
    // webauthnx.ErrNotEnoughCredentials, whose pointer names the webauthn strategy's field.
    throw FlowValidationError.field(
      "webauthn_remove",
      webauthnMessages.generic("unable to remove this security key because it would lock you out of your account"),
    );
  }
  if (remaining.length === 0) {
    const { passkey: _gone, ...rest } = identity.credentials;
    identity.credentials = rest;
  } else {
    ctx.deps.identities.setCredential(identity, {
      type: "passkey",
      identifiers: credential.identifiers,
      config: { ...current, credentials: remaining },
      version: credential.version,
    });
  }
  return { identity, privileged: true };
}

/** continueSettingsFlowAdd: the new key joins the others; its user handle becomes one more identifier. */
async function addPasskey(flow: SettingsFlow, answer: string, ctx: StrategyContext, identity: Identity): Promise<SettingsResult> {
  const session = passkeyInternal(flow).registration;
  if (!session) throw new KratosError(500, { reason: "Expected WebAuthN in internal context to be an object." });
  const created = await verifyPasskeyCreation(passkeyConfig(ctx.deps.config), answer, session.challenge);
  const current = passkeyConfigOf(identity);
  const identifiers = identity.credentials.passkey?.identifiers ?? [];
  ctx.deps.identities.setCredential(identity, {
    type: "passkey",
    identifiers: identifiers.includes(session.userHandle) ? identifiers : [...identifiers, session.userHandle],
    config: {
      ...current,
      credentials: [...(current?.credentials ?? []), newPasskeyCredential(created, timeNow())],
      user_handle: b64.encode(Buffer.from(session.userHandle)),
    },
    version: 1,
  });
  setPasskeyInternal(flow, { registration: undefined });
  return {
    identity,
    privileged: true,
    authenticationMethod: { method: "passkey", aal: "aal1", completed_at: timeNow().toISOString() },
  };
}
