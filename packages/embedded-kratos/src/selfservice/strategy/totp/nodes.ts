import { inputNode, type UiNode } from "../../../ui/node";
import { totpMessages } from "./messages";

/** UI nodes of the `totp` group, with Kratos' names, types and labels (selfservice/strategy/totp/nodes.go). */

export function loginCodeNode(): UiNode {
  return inputNode("totp", "totp_code", "text", { value: "", required: true, label: totpMessages.loginCodeLabel() });
}

export function loginSubmitNode(): UiNode {
  return inputNode("totp", "method", "submit", { value: "totp", label: totpMessages.loginSubmit() });
}

export function qrNode(src: string): UiNode {
  return {
    type: "img",
    group: "totp",
    attributes: { src, id: "totp_qr", width: 256, height: 256, node_type: "img" },
    messages: [],
    meta: { label: totpMessages.qrCode() },
  };
}

export function secretNode(secret: string): UiNode {
  return {
    type: "text",
    group: "totp",
    attributes: { text: totpMessages.secret(secret), id: "totp_secret_key", node_type: "text" },
    messages: [],
    meta: { label: totpMessages.secretLabel() },
  };
}

export function settingsCodeNode(): UiNode {
  return inputNode("totp", "totp_code", "text", { required: true, label: totpMessages.verifyCodeLabel() });
}

export function settingsSubmitNode(): UiNode {
  return inputNode("totp", "method", "submit", { value: "totp", label: totpMessages.save() });
}

export function unlinkNode(): UiNode {
  return inputNode("totp", "totp_unlink", "submit", { value: "true", required: true, label: totpMessages.unlink() });
}
