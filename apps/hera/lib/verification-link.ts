import type { VerificationFlow } from "@ory/client";

/**
 * What the verification page makes of a flow a mailed link led to. Kratos'
 * code method never verifies on the link itself (code.Strategy.handleLinkClick
 * pre-fills the code, binds the flow to the opening browser's CSRF cookie
 * and sends it to this page); the submission of that pre-filled form
 * verifies. So a flow showing a pre-filled code and no error is submitted
 * as is — what the person would do by pressing the button, and nothing
 * Kratos does not accept from its own form.
 */
export type MailedLinkView = { kind: "confirm"; form: PendingCode } | { kind: "expired"; form: ResendForm } | { kind: "none" };

/** The code form Kratos pre-filled: posted to Kratos' action with these fields. */
export interface PendingCode {
  action: string;
  csrfToken: string;
  code: string;
  /** The address the code went to (the flow's "resend" button), kept so an expired link can offer a new mail to it. */
  address: string | undefined;
}

/** A new mail for the address: Kratos' verification form (email + method=code) on the flow it made. */
export interface ResendForm {
  action: string;
  csrfToken: string;
  method: string;
}

/** 4070005: the flow, or the code in it, expired (ErrorValidationVerificationFlowExpired). */
export const VERIFICATION_EXPIRED = 4070005;

interface InputFields {
  name: string;
  type: string;
  value: string;
}

function inputs(flow: VerificationFlow): InputFields[] {
  return flow.ui.nodes.flatMap(({ attributes }) =>
    attributes.node_type === "input"
      ? [{ name: attributes.name, type: attributes.type, value: typeof attributes.value === "string" ? attributes.value : "" }]
      : [],
  );
}

export function mailedLinkView(flow: VerificationFlow): MailedLinkView {
  const fields = inputs(flow);
  const value = (name: string, type?: string) => fields.find((f) => f.name === name && (!type || f.type === type))?.value ?? "";
  const messages = flow.ui.messages ?? [];
  if (messages.some((m) => m.id === VERIFICATION_EXPIRED) && flow.state === "choose_method") {
    return { kind: "expired", form: { action: flow.ui.action, csrfToken: value("csrf_token"), method: value("method") || "code" } };
  }
  const code = value("code");
  if (flow.state === "sent_email" && code !== "" && !messages.some((m) => m.type === "error")) {
    return {
      kind: "confirm",
      form: { action: flow.ui.action, csrfToken: value("csrf_token"), code, address: value("email", "submit") || undefined },
    };
  }
  return { kind: "none" };
}
