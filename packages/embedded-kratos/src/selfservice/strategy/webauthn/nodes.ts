import { randomUUID } from "node:crypto";
import type { UiText } from "../../../ui/messages";
import { inputNode, type InputNode, type UiNode } from "../../../ui/node";
import { credentialHexId, type StoredWebAuthnCredential } from "./credential";
import { webauthnMessages } from "./messages";
import { WEBAUTHN_SCRIPT_INTEGRITY, WEBAUTHN_SCRIPT_PATH } from "./script";

/** UI nodes of the `webauthn` group (x/webauthnx/nodes.go): names, types and triggers as Kratos emits them. */

export function scriptNode(publicBaseUrl: string): UiNode {
  return {
    type: "script",
    group: "webauthn",
    attributes: {
      src: `${publicBaseUrl}${WEBAUTHN_SCRIPT_PATH}`,
      async: true,
      referrerpolicy: "no-referrer",
      crossorigin: "anonymous",
      integrity: WEBAUTHN_SCRIPT_INTEGRITY,
      type: "text/javascript",
      id: "webauthn_script",
      nonce: randomUUID(),
      node_type: "script",
    },
    messages: [],
    meta: {},
  };
}

/** A button whose click runs `window.<trigger>(<options>)`; the options JSON is also its value. */
function triggerNode(name: string, trigger: string, options: string, label: UiText): InputNode {
  const node = inputNode("webauthn", name, "button", { value: options, label });
  node.attributes.onclick = `window.${trigger}(${options})`;
  node.attributes.onclickTrigger = trigger;
  return node;
}

export const registerTriggerNode = (options: string, label: UiText = webauthnMessages.register()): UiNode =>
  triggerNode("webauthn_register_trigger", "oryWebAuthnRegistration", options, label);
export const registerInputNode = (): UiNode => inputNode("webauthn", "webauthn_register", "hidden", { value: "" });
export const displayNameNode = (): UiNode =>
  inputNode("webauthn", "webauthn_register_displayname", "text", { value: "", label: webauthnMessages.displayName() });

export function removeNode(credential: StoredWebAuthnCredential, disabled: boolean): UiNode {
  return inputNode("webauthn", "webauthn_remove", "submit", {
    value: credentialHexId(credential),
    disabled,
    label: webauthnMessages.remove(credential.display_name || "unnamed", new Date(credential.added_at)),
  });
}

export const loginTriggerNode = (options: string, label: UiText): UiNode =>
  triggerNode("webauthn_login_trigger", "oryWebAuthnLogin", options, label);
export const loginInputNode = (): UiNode => inputNode("webauthn", "webauthn_login", "hidden", { value: "" });
export const hiddenIdentifierNode = (identifier: string, required = false): UiNode =>
  inputNode("default", "identifier", "hidden", { value: identifier, required });
export const passwordlessSubmitNode = (): UiNode =>
  inputNode("webauthn", "method", "submit", { value: "webauthn", label: webauthnMessages.loginTrigger() });
