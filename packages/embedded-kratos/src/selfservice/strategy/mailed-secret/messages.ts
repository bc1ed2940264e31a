import type { UiText } from "../../../ui/messages";

/** Kratos' texts (text/message_*.go) the code and link strategies show, by id. */
const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "info",
  ...(context ? { context } : {}),
});
const error = (id: number, text: string): UiText => ({ id, text, type: "error" });
const SENT_HINT =
  "If you have not received an email, check the spelling of the address and make sure to use the address you registered with.";

export const mailMessages = {
  loginCodeSent: () =>
    info(
      1010014,
      "A code was sent to the address you provided. If you didn't receive it, please check the spelling of the address and try again.",
    ),
  loginSendCode: () => info(1010015, "Send sign in code"),
  registrationCodeSent: () =>
    info(
      1040005,
      "A code has been sent to the address(es) you provided. If you have not received a message, check the spelling of the address and retry the registration.",
    ),
  registrationSendCode: () => info(1040006, "Send sign up code"),
  recoveryLinkSent: () =>
    info(1060002, `An email containing a recovery link has been sent to the email address you provided. ${SENT_HINT}`),
  recoveryCodeSent: () =>
    info(1060003, `An email containing a recovery code has been sent to the email address you provided. ${SENT_HINT}`),
  // Recovery v2 (feature_flags.choose_recovery_address): text/message_recovery.go, message_node.go.
  recoveryCodeSentToMasked: (maskedAddress: string) =>
    info(
      1060004,
      `A recovery code has been sent to ${maskedAddress}. If you have not received it, check the spelling of the address and make sure to use the address you registered with.`,
      { masked_address: maskedAddress },
    ),
  recoveryAskForFullAddress: () => info(1060005, "Recover access to your account by providing your recovery address in full."),
  recoveryAskToChooseAddress: () => info(1060006, "How do you want to recover your account?"),
  recoveryBack: () => info(1060007, "Back"),
  /** text.InfoNodeLabel carrying a masked recovery address as its text. */
  labelMaskedAddress: (maskedAddress: string) => info(1070000, maskedAddress),
  labelRecoveryAddress: () => info(1070016, "Recovery address"),
  labelPhoneNumber: () => info(1070017, "Phone number"),
  labelEmail: () => info(1070007, "Email"),
  labelResend: () => info(1070008, "Resend code"),
  labelContinue: () => info(1070009, "Continue"),
  labelRecoveryCode: () => info(1070010, "Recovery code"),
  labelVerificationCode: () => info(1070011, "Verification code"),
  labelRegistrationCode: () => info(1070012, "Registration code"),
  labelLoginCode: () => info(1070013, "Login code"),
  verificationLinkSent: () =>
    info(1080001, `An email containing a verification link has been sent to the email address you provided. ${SENT_HINT}`),
  verificationSuccessful: (): UiText => ({ id: 1080002, text: "You successfully verified your email address.", type: "success" }),
  verificationCodeSent: () =>
    info(1080003, `An email containing a verification code has been sent to the email address you provided. ${SENT_HINT}`),

  /** code.ErrCodeAlreadyUsed as ui.Container.ParseError renders a 400 with a reason. */
  codeAlreadyUsed: () =>
    ({
      id: 4000001,
      text: "The code was already used. Please request another code.",
      type: "error",
      context: { reason: "The code was already used. Please request another code." },
    }) satisfies UiText,
  tooManySubmissions: () =>
    ({
      id: 4000001,
      text: "The request was submitted too often. Please request another code.",
      type: "error",
      context: { reason: "The request was submitted too often. Please request another code." },
    }) satisfies UiText,
  noCodeUser: () => error(4000035, "This account does not exist or has not setup sign in with code."),
  traitsMismatch: () => error(4000036, "The provided traits do not match the traits previously associated with this flow."),
  /** text.NewErrorValidationAddressUnknown. */
  loginAddressUnknown: () => error(4010010, "The address you entered does not match any known addresses in the current account."),
  loginCodeInvalid: () => error(4010008, "The login code is invalid or has already been used. Please try again."),
  registrationCodeInvalid: () => error(4040003, "The registration code is invalid or has already been used. Please try again."),
  recoveryRetrySuccess: () => error(4060001, "The request was already completed successfully and can not be retried."),
  recoveryStateFailure: () => error(4060002, "The recovery flow reached a failure state and must be retried."),
  recoveryTokenInvalid: () => error(4060004, "The recovery token is invalid or has already been used. Please retry the flow."),
  recoveryCodeInvalid: () => error(4060006, "The recovery code is invalid or has already been used. Please try again."),
  verificationTokenInvalid: () => error(4070001, "The verification token is invalid or has already been used. Please retry the flow."),
  verificationRetrySuccess: () => error(4070002, "The request was already completed successfully and can not be retried."),
  verificationCodeInvalid: () => error(4070006, "The verification code is invalid or has already been used. Please try again."),
};
