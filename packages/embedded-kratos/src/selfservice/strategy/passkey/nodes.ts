import type { UiText } from "../../../ui/messages";
import { inputNode, type InputNode, type UiNode } from "../../../ui/node";
import { credentialHexId, type StoredWebAuthnCredential } from "../webauthn/credential";
import { passkeyMessages } from "./messages";

/**
 * UI nodes of the `passkey` group (selfservice/strategy/passkey nodes.go
 * and the populate methods): names, types and triggers as Kratos emits
 * them. Triggers name a function of webauthn.js; only browser flows get the
 * raw JavaScript (`onclick`/`onload`), every flow keeps the trigger's name.
 */

type Event = "onclick" | "onload";

function withTrigger(node: InputNode, event: Event, trigger: string, browser: boolean): InputNode {
  const { node_type: nodeType, ...rest } = node.attributes;
  const handler = browser ? `window.${trigger}()` : undefined;
  node.attributes =
    event === "onclick"
      ? { ...rest, ...(handler ? { onclick: handler } : {}), onclickTrigger: trigger, node_type: nodeType }
      : { ...rest, ...(handler ? { onload: handler } : {}), onloadTrigger: trigger, node_type: nodeType };
  return node;
}

const hidden = (name: string, value?: string): UiNode => inputNode("passkey", name, "hidden", value === undefined ? {} : { value });
const button = (name: string, label: UiText, value?: string): InputNode =>
  inputNode("passkey", name, "button", value === undefined ? { label } : { label, value });

/** `passkey_create_data`: {credentialOptions, displayNameFieldName} for navigator.credentials.create(). */
export const createDataNode = (createData: string): UiNode => hidden("passkey_create_data", createData);
export const registerInputNode = (): UiNode => hidden("passkey_register");
export const registerTriggerNode = (browser: boolean): UiNode =>
  withTrigger(button("passkey_register_trigger", passkeyMessages.signUp()), "onclick", "oryPasskeyRegistration", browser);

/** `passkey_challenge`: the assertion options for navigator.credentials.get(). */
export const challengeNode = (options: string): UiNode => hidden("passkey_challenge", options);
/** `passkey_login`, which conditional mediation (autocomplete) starts from on first-factor screens. */
export const loginInputNode = (autocomplete: boolean, browser: boolean): UiNode => {
  const node = inputNode("passkey", "passkey_login", "hidden");
  return autocomplete ? withTrigger(node, "onload", "oryPasskeyLoginAutocompleteInit", browser) : node;
};
export const loginTriggerNode = (browser: boolean): UiNode =>
  withTrigger(button("passkey_login_trigger", passkeyMessages.loginTrigger(), ""), "onclick", "oryPasskeyLogin", browser);

export const settingsTriggerNode = (browser: boolean): UiNode =>
  withTrigger(button("passkey_register_trigger", passkeyMessages.add(), ""), "onclick", "oryPasskeySettingsRegistration", browser);
export const settingsInputNode = (): UiNode => hidden("passkey_settings_register");

/** webauthnx.NewPasskeyUnlink: the key's id in lower-case hex, named after its display name. */
export const removeNode = (credential: StoredWebAuthnCredential, disabled: boolean): UiNode =>
  inputNode("passkey", "passkey_remove", "submit", {
    value: credentialHexId(credential),
    disabled,
    label: passkeyMessages.remove(credential.display_name || "unnamed", new Date(credential.added_at)),
  });
