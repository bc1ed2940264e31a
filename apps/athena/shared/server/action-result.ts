/** What every server action returns to the browser: data, or a typed error with a message to show. */
export type ActionErrorCode = "unauthenticated" | "forbidden" | "invalid_input" | "unavailable" | "rejected" | "upstream" | "internal";

export type ActionResult<T> =
  /** `warning`: done, but not all of it or not as asked (part of a batch; a no-op Kratos chose); the message says what. */
  | { ok: true; data: T; message?: string | undefined; warning?: boolean }
  | { ok: false; error: { code: ActionErrorCode; message: string; fields?: Record<string, string> } };

/**
 * A refusal with a message meant for the employee (e.g. "type the email to
 * confirm"). `fields` names the form fields it is about (dotted paths such as
 * `traits.email`), so a form can show the message beside them.
 */
export class AdminActionError extends Error {
  constructor(
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AdminActionError";
  }
}
