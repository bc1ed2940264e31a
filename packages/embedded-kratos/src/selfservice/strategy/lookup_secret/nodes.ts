import { inputNode, type UiNode } from "../../../ui/node";
import type { UiText } from "../../../ui/messages";
import { isUsed, type RecoveryCode } from "./credential";
import { lookupMessages } from "./messages";

/** UI nodes of the `lookup_secret` group (selfservice/strategy/lookup/nodes.go, identity/credentials_lookup.go). */

export function loginCodeNode(): UiNode {
  return inputNode("lookup_secret", "lookup_secret", "text", { value: "", required: true, label: lookupMessages.loginCodeLabel() });
}

export function loginSubmitNode(): UiNode {
  return inputNode("lookup_secret", "method", "submit", { value: "lookup_secret", label: lookupMessages.loginSubmit() });
}

export const revealNode = (): UiNode =>
  inputNode("lookup_secret", "lookup_secret_reveal", "submit", { value: "true", label: lookupMessages.reveal() });
export const regenerateNode = (): UiNode =>
  inputNode("lookup_secret", "lookup_secret_regenerate", "submit", { value: "true", label: lookupMessages.regenerate() });
export const disableNode = (): UiNode =>
  inputNode("lookup_secret", "lookup_secret_disable", "submit", { value: "true", label: lookupMessages.disable() });
export const confirmNode = (): UiNode =>
  inputNode("lookup_secret", "lookup_secret_confirm", "submit", { value: "true", label: lookupMessages.confirm() });

/** The text node listing the codes; used ones show as "used" with the time they were used. */
export function codesNode(codes: RecoveryCode[]): UiNode {
  const texts: UiText[] = [];
  const formatted: string[] = [];
  for (const code of codes) {
    if (isUsed(code) && code.used_at) {
      texts.push(lookupMessages.used(new Date(code.used_at)));
      formatted.push("used");
    } else {
      texts.push(lookupMessages.secret(code.code));
      formatted.push(code.code);
    }
  }
  return {
    type: "text",
    group: "lookup_secret",
    attributes: { text: lookupMessages.list(formatted, texts), id: "lookup_secret_codes", node_type: "text" },
    messages: [],
    meta: { label: lookupMessages.codesLabel() },
  };
}
