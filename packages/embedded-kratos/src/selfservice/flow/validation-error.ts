import type { FieldError } from "../../identity/schema-registry";
import type { UiContainer } from "../../ui/container";
import type { UiText } from "../../ui/messages";

/** A user error: re-render the flow with these messages (400 for API/JSON, 303 back to the UI for browsers). */
export class FlowValidationError extends Error {
  override name = "FlowValidationError";
  constructor(
    readonly fieldErrors: FieldError[],
    /** Values to echo back into nodes (never secrets). */
    readonly echo: Record<string, unknown> = {},
    /**
     * `asBuilt`: the answer is a form a strategy built whole, CSRF token
     * included, left in its order (Kratos' code strategy answering a sent
     * code: loginSendCode writes the flow without the flow's sort).
     */
    readonly options: {
      asBuilt?: boolean;
      /** Nodes the strategy's error handler sets on the re-rendered form (code verification's handleVerificationError). */
      amend?: (ui: UiContainer) => void;
    } = {},
  ) {
    super(fieldErrors.map((f) => f.message.text).join("; "));
  }

  static flow(message: UiText, echo: Record<string, unknown> = {}): FlowValidationError {
    return new FlowValidationError([{ name: undefined, message }], echo);
  }

  static field(name: string, message: UiText, echo: Record<string, unknown> = {}): FlowValidationError {
    return new FlowValidationError([{ name, message }], echo);
  }
}
