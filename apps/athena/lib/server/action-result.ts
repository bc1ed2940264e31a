/** What every server action returns to the browser: data, or a typed error with a message to show. */
export type ActionErrorCode = "unauthenticated" | "forbidden" | "invalid_input" | "unavailable" | "rejected" | "upstream" | "internal";

export type ActionResult<T> =
  | { ok: true; data: T; message?: string | undefined }
  | { ok: false; error: { code: ActionErrorCode; message: string; fields?: Record<string, string> } };

/** A refusal with a message meant for the employee (e.g. "type the email to confirm"). */
export class AdminActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminActionError";
  }
}
