import type { Courier, RenderedMessage } from "./courier";

/** The templates Kratos mails an address no account holds (courier/template/email/*_invalid.go). */
export type UnknownRecipientTemplate = "recovery_invalid" | "recovery_code_invalid" | "verification_invalid" | "verification_code_invalid";

/**
 * The notice `notify_unknown_recipients` mails to an address no account
 * holds ("someone asked to recover/verify with this address"): the four
 * senders (code_sender.go SendRecoveryCode and SendVerificationCode,
 * link/sender.go SendRecoveryLink and SendVerificationLink) build the same
 * *InvalidModel, the address as To and the flow's request URL. Rendered
 * before the transaction, as Courier.renderEmail.
 */
export function renderUnknownRecipientNotice(
  courier: Courier,
  notice: { templateType: UnknownRecipientTemplate; recipient: string; requestUrl: string; signal: AbortSignal },
): Promise<RenderedMessage> {
  return courier.renderEmail({
    templateType: notice.templateType,
    recipient: notice.recipient,
    model: { To: notice.recipient, RequestURL: notice.requestUrl },
    signal: notice.signal,
  });
}
