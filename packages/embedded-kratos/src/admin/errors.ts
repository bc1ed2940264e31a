import type { HttpContext } from "../http/context";
import { KratosError } from "../http/errors";

/**
 * The herodot errors the admin handlers of Kratos answer with. Herodot puts
 * the detail either in `reason` (WithReason: the message stays the generic
 * one of the status) or in `message` (WithError, or a plain Go error).
 */
export const adminErrors = {
  /** herodot.ErrBadRequest.WithReason(reason). */
  badRequest: (reason: string) => new KratosError(400, { reason }),
  /** herodot.ErrBadRequest.WithError(message): the detail replaces the message, no reason. */
  badRequestMessage: (message: string) => new KratosError(400, { message }),
  /** herodot.ErrNotFound.WithReason(reason). */
  notFound: (reason: string) => new KratosError(404, { reason }),
  /** sqlcon.ErrNoRows: what every lookup of a missing row answers. */
  noRows: () => new KratosError(404, { message: "Unable to locate the resource" }),
  /** The create and update handlers' answer to sqlcon.ErrUniqueViolation. */
  conflict: () => new KratosError(409, { reason: "This identity conflicts with another identity that already exists." }),
};

/**
 * herodot's WriteErrorCode(400, err) for a plain Go error (a JSON decoding
 * error of the batch endpoint): the response status is 400 while the body
 * keeps herodot's default code for errors without one, 500.
 */
export function respondPlainErrorAt400(ctx: HttpContext, message: string): void {
  ctx.error(new KratosError(500, { message }).answerWith(400));
}

/** The JSON of a herodot.DefaultError embedded in a response (batch results), without `request`. */
export function herodotJson(error: KratosError): Record<string, unknown> {
  const body = error.toBody();
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== "request"));
}
