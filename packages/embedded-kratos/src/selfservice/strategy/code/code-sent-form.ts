import { csrfNode, inputNode, type InputNode } from "../../../ui/node";
import type { Flow, LoginFlow } from "../../flow/flow";
import type { UiText } from "../../../ui/messages";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw, methodSubmitNode } from "../mailed-secret/nodes";

/**
 * ui/node/node.go ClearTransientNodes: the groups strategy.go
 * populateEmailSentFlow drops before it builds the "code sent" form — the
 * CSRF token too, as it sits in `default`.
 */
const TRANSIENT_GROUPS: ReadonlySet<string> = new Set([
  "default",
  "password",
  "oidc",
  "profile",
  "link",
  "code",
  "totp",
  "lookup_secret",
  "webauthn",
  "passkey",
  "identifier_first",
  "saml",
]);

export function clearTransientNodes(flow: Flow): void {
  flow.ui.nodes = flow.ui.nodes.filter((n) => !TRANSIENT_GROUPS.has(n.group));
}

/** node.go nodeCodeInputField: the code input populateEmailSentFlow adds, with its flow's label (no autocomplete). */
export const sentCodeInputNode = (label: UiText): InputNode => inputNode("code", "code", "text", { required: true, label });

/**
 * A login flow's form once a code was sent (strategy.go
 * populateEmailSentFlow, then PopulateMethod): the nodes of other groups
 * stay, the hidden identifiers follow, then the hidden `method`, the code
 * input, the submit and resend buttons, and — for browser flows only — the
 * CSRF token last. Kratos answers this form in this order (loginSendCode
 * does not sort); only a later error's answer sorts it (login's
 * WriteFlowError), which the flow's render does then.
 */
export function buildLoginCodeSentForm(flow: LoginFlow, identifiers: InputNode[]): void {
  clearTransientNodes(flow);
  appendRaw(
    flow,
    ...identifiers,
    inputNode("code", "method", "hidden", { value: "code" }),
    sentCodeInputNode(mailMessages.labelLoginCode()),
    methodSubmitNode("code", "code"),
    inputNode("code", "resend", "submit", { value: "code", label: mailMessages.labelResend() }),
  );
  if (flow.type === "browser") appendRaw(flow, csrfNode(flow.csrfToken));
}
