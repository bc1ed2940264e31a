import type { UiNode, UiNodeInputAttributes } from "@ory/client-fetch";

/** A flow node rendered as a button (Kratos' submit and button inputs). */
export type ButtonNode = UiNode & { attributes: UiNodeInputAttributes };

/** Groups whose every control drives a WebAuthn ceremony in the browser. */
const WEBAUTHN_GROUPS = new Set(["webauthn", "passkey"]);

/** Social sign-in buttons: Elements renders these apart, as a row of their own. */
const SOCIAL_GROUPS = new Set(["oidc", "saml"]);

/**
 * Whether a button only works with JavaScript: Kratos' WebAuthn and passkey
 * triggers are `type="button"` inputs that call webauthn.js
 * (`onclickTrigger`, or the older `onclick` source) and submit nothing, and
 * every other button of those groups leads to one (passwordless login's
 * "Continue with hardware key" submits the identifier, then asks for the
 * key in the browser).
 */
export function needsJavaScript(node: ButtonNode): boolean {
  const { type, onclick, onclickTrigger } = node.attributes;
  return WEBAUTHN_GROUPS.has(node.group) || (type === "button" && Boolean(onclickTrigger ?? onclick));
}

/** Buttons Elements never renders as a method button: "resend code" (1070008) and the two-step "back" (`screen`). */
export function isMethodButton(node: ButtonNode): boolean {
  return node.meta.label?.id !== 1070008 && node.attributes.name !== "screen" && !SOCIAL_GROUPS.has(node.group);
}

/**
 * The one primary action among the method buttons a card shows, in the
 * order shown: the first method (Elements orders password before code
 * before passkey). Every other method is a secondary choice.
 */
export function primaryButtonOf(shown: readonly ButtonNode[]): ButtonNode | undefined {
  return shown.find(isMethodButton);
}

/**
 * Whether a visible field only serves a WebAuthn ceremony (the security
 * key's name on sign-up): without JavaScript its button is gone, so the
 * field would be a dead end too.
 */
export function isWebAuthnField(node: UiNode): boolean {
  const attributes = node.attributes;
  if (attributes.node_type !== "input" || !WEBAUTHN_GROUPS.has(node.group)) return false;
  const { type } = attributes as UiNodeInputAttributes;
  return type !== "hidden" && type !== "submit" && type !== "button";
}
