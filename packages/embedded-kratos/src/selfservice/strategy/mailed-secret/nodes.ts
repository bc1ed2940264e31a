import type { Flow } from "../../flow/flow";
import type { UiText } from "../../../ui/messages";
import { inputNode, type InputNode, type NodeGroup } from "../../../ui/node";
import { mailMessages } from "./messages";
import { CODE_LENGTH } from "./secrets";

/** The email input recovery and verification start with (group `code` or `link`). */
export const emailNode = (group: NodeGroup, value?: string): InputNode =>
  inputNode(group, "email", "email", { value, required: true, label: mailMessages.labelEmail() });

export const methodSubmitNode = (group: NodeGroup, method: string, label: UiText = mailMessages.labelContinue()): InputNode =>
  inputNode(group, "method", "submit", { value: method, label });

/** The one-time code input as Kratos renders it after a code was sent (no autocomplete: Kratos sets none). */
export const codeInputNode = (label: UiText, options: { strictPattern?: boolean } = {}): InputNode =>
  inputNode("code", "code", "text", {
    required: true,
    ...(options.strictPattern ? { pattern: "[0-9]+", maxlength: CODE_LENGTH } : {}),
    label,
  });

/**
 * Appends nodes without Kratos' name+group de-duplication: the "code sent"
 * screens carry both a hidden and a submit `method` node in group `code`.
 */
export function appendRaw(flow: Flow, ...nodes: InputNode[]): void {
  flow.ui.nodes.push(...nodes);
}

/** Removes the strategy's own nodes (keeps csrf_token and other strategies' nodes). */
export function removeGroup(flow: Flow, group: NodeGroup): void {
  flow.ui.removeGroup(group);
}
