import { STATUS_CODES } from "node:http";
import { minutesText, since } from "../clock/go-duration";
import { goTimeString } from "../clock/go-time";
import { JsonText } from "./json-text";

/** Herodot's default `message` text per status (what Kratos puts in `error.message` unless overridden). */
const DEFAULT_MESSAGES: Record<number, string> = {
  400: "The request was malformed or contained invalid parameters",
  401: "The request could not be authorized",
  403: "The requested action was forbidden",
  404: "The requested resource could not be found",
  405: "The requested method is not allowed",
  409: "The resource could not be created due to a conflict",
  410: "The requested resource is no longer available because it has expired or is otherwise invalid.",
  413: "The request payload is too large",
  415: "The request's content type is not supported",
  422: "The request was well-formed but was unable to be followed due to semantic errors",
  500: "An internal server error occurred, please contact the system administrator",
  503: "The service is unavailable",
};

/** herodot's StatusClientClosedRequest (clientclosed.go). */
export const CLIENT_CLOSED_REQUEST = 499;

export interface HerodotBody {
  id?: string;
  code: number;
  status: string;
  request?: string;
  reason?: string;
  details?: Record<string, unknown>;
  message: string;
}

/**
 * The one error type of the HTTP layer. Serialises to Kratos' herodot
 * envelope `{"error":{...}}`, plus optional top-level fields some Kratos
 * errors carry (`use_flow_id`, `redirect_browser_to`, `expired_at`, ...).
 */
export class KratosError extends Error {
  readonly code: number;
  id: string | undefined;
  reason: string | undefined;
  details: Record<string, unknown> | undefined;
  /** Top-level fields next to `error` (e.g. `use_flow_id`). */
  extra: Record<string, unknown> = {};
  /** The answer's status where it is not the body's `code` (answerWith). */
  private answeredAt: number | undefined;

  constructor(code: number, init: { id?: string; reason?: string; message?: string; details?: Record<string, unknown> } = {}) {
    super(init.message ?? DEFAULT_MESSAGES[code] ?? STATUS_CODES[code] ?? "error");
    this.code = code;
    this.id = init.id;
    this.reason = init.reason;
    this.details = init.details;
  }

  /**
   * The status the answer carries: the body's `code`, unless the handler
   * wrote the error with a status of its own (herodot's WriteErrorCode, as
   * for a plain Go error, whose body code stays 500).
   */
  get answerStatus(): number {
    return this.answeredAt ?? this.code;
  }

  /** Answers with `status` while the body keeps its `code`. */
  answerWith(status: number): this {
    this.answeredAt = status;
    return this;
  }

  /**
   * Go cancels the request's context when a read from the connection fails
   * (net/http connReader.handleReadError; a late body's `i/o timeout`):
   * herodot's writer then answers 499 whatever status the handler asked
   * for (json.go WriteErrorCode).
   */
  answerOnCancelledRequest(): this {
    return this.answerWith(CLIENT_CLOSED_REQUEST);
  }

  withDetail(key: string, value: unknown): this {
    this.details = { ...this.details, [key]: value };
    return this;
  }

  withExtra(fields: Record<string, unknown>): this {
    this.extra = { ...this.extra, ...fields };
    return this;
  }

  toBody(requestId?: string): HerodotBody {
    const body: HerodotBody = { code: this.code, status: STATUS_CODES[this.code] ?? "", message: this.message };
    if (this.id) body.id = this.id;
    if (requestId) body.request = requestId;
    if (this.reason) body.reason = this.reason;
    if (this.details && Object.keys(this.details).length > 0) body.details = this.details;
    // Herodot serialises id first; keep the familiar key order.
    return { ...(body.id ? { id: body.id } : {}), ...body };
  }

  toJSON(requestId?: string): Record<string, unknown> {
    return { error: this.toBody(requestId), ...this.extra };
  }
}

export const errors = {
  badRequest: (reason?: string, id?: string) => new KratosError(400, { reason, id }),
  notFound: (reason = "Unable to locate the resource", id?: string) => new KratosError(404, { reason, id }),
  conflict: (reason: string) => new KratosError(409, { reason }),
  forbidden: (reason?: string, id?: string) => new KratosError(403, { reason, id }),
  unauthorized: (reason?: string, id?: string) => new KratosError(401, { reason, id }),
  methodNotAllowed: () => new KratosError(405, { reason: "The requested method is not allowed on this path." }),
  internal: () => new KratosError(500, { reason: "An unexpected error occurred." }),
  databaseUnavailable: () =>
    new KratosError(503, { id: "database_unavailable", reason: "The database cannot be reached at the moment. Please retry shortly." }),

  noActiveSession: () =>
    new KratosError(401, {
      id: "session_inactive",
      message: "request does not have a valid authentication session",
      reason: "No active session was found in this request.",
    }),
  csrf: () =>
    new KratosError(403, {
      id: "security_csrf_violation",
      message: "the request was rejected to protect you from Cross-Site-Request-Forgery",
      reason:
        "Please retry the flow and optionally clear your cookies. The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF) which could cause account takeover, leaking personal information, and other serious security issues.",
      details: { docs: "https://www.ory.sh/kratos/docs/debug/csrf" },
    }),
  returnToForbidden: (returnTo: string) =>
    new KratosError(400, { id: "self_service_flow_return_to_forbidden", reason: `Requested return_to URL "${returnTo}" is not allowed.` }),
  browserLocationChangeRequired: (redirectTo: string) =>
    new KratosError(422, {
      id: "browser_location_change_required",
      message: "browser location change required",
      reason: `In order to complete this flow please redirect the browser to: ${redirectTo}`,
    }).withExtra({ redirect_browser_to: redirectTo }),
  flowDisabled: (kind: string) =>
    new KratosError(400, {
      id: "self_service_flow_disabled",
      message: `${kind} flow disabled`,
      reason: `${capitalise(kind)} is not allowed because it was disabled.`,
    }),
  aal2Required: (redirectTo: string) =>
    new KratosError(403, {
      id: "session_aal2_required",
      message: "Session does not fulfill the requested Authenticator Assurance Level",
      reason:
        "An active session was found but it does not fulfill the requested Authenticator Assurance Level. Please verify yourself with a second factor to resolve this issue.",
      details: { redirect_browser_to: redirectTo },
    }).withExtra({ redirect_browser_to: redirectTo }),
  /** flow.NewFlowReplacedError(...).WithFlow(f): 410 naming the flow that replaced the submitted one. */
  flowReplaced: (reason: string, flowId: string) =>
    new KratosError(410, { id: "self_service_flow_replaced", message: "self-service flow replaced", reason }).withExtra({
      use_flow_id: flowId,
    }),
  /**
   * flow.NewFlowExpiredError(at).WithFlow(f): one time.Since(at) gives both the
   * reason's `%.2f` minutes and `since`, a time.Duration marshalled as its
   * int64 nanoseconds (written as its text: it outgrows a double's integers).
   */
  flowExpired: (expiredAt: Date, flowId: string, now?: Date) => {
    const ago = since(expiredAt, now);
    return new KratosError(410, {
      id: "self_service_flow_expired",
      message: "self-service flow expired",
      reason: `The self-service flow expired ${minutesText(ago)} minutes ago, initialize a new one.`,
    }).withExtra({ expired_at: goTimeString(expiredAt), since: new JsonText(ago.toString(), Number(ago)), use_flow_id: flowId });
  },
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
