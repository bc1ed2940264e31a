import { CAPTCHA_FIELD } from "@/lib/captcha-field";

/**
 * The CAPTCHA as Kratos' own flows carry one: a node in the `captcha` group
 * (Kratos' ui/node CaptchaGroup), which Ory Elements hands to its
 * `Node.Captcha` component (Hera's renders the ALTCHA widget), labelled with
 * Kratos' message 1070015 (text/message_system.go NewCaptchaContainerMessage);
 * a refusal says 4000038 (text/message_validation.go NewErrorCaptchaFailed),
 * which Elements translates like any Kratos message.
 */
export const CAPTCHA_LABEL_MESSAGE_ID = 1070015;
export const CAPTCHA_FAILED_MESSAGE_ID = 4000038;

export function captchaFailedMessage() {
  return { id: CAPTCHA_FAILED_MESSAGE_ID, text: "Captcha verification failed, please try again.", type: "error" as const };
}

export function captchaNode() {
  return {
    type: "input" as const,
    group: "captcha" as const,
    attributes: { name: CAPTCHA_FIELD, type: "hidden" as const, value: "", disabled: false, node_type: "input" as const },
    messages: [],
    meta: { label: { id: CAPTCHA_LABEL_MESSAGE_ID, text: "Please complete the captcha challenge to continue.", type: "info" as const } },
  };
}

type NodeLike = { group?: string; attributes: object };

/** The flow with the CAPTCHA node (once, however often it is added). */
export function withCaptchaNode<F extends { ui: { nodes: NodeLike[] } }>(flow: F): F {
  if (flow.ui.nodes.some((node) => node.group === "captcha")) return flow;
  return { ...flow, ui: { ...flow.ui, nodes: [...flow.ui.nodes, captchaNode()] } };
}
