import { messages, type UiText } from "../../../ui/messages";
import { inputNode, type InputNode } from "../../../ui/node";

export const identifierNode = (label: UiText, value = "", hidden = false): InputNode =>
  hidden
    ? inputNode("default", "identifier", "hidden", { value, required: true })
    : inputNode("default", "identifier", "text", { value, required: true, label });

export const passwordNode = (autocomplete: "current-password" | "new-password"): InputNode =>
  inputNode("password", "password", "password", { required: true, autocomplete, label: messages.labelPassword() });

export const submitNode = (label: ReturnType<typeof messages.loginSubmitPassword>): InputNode =>
  inputNode("password", "method", "submit", { value: "password", label });
