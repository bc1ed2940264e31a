/**
 * The one error type of the SDK's Ory layer. Every failed Kratos or Hydra
 * call becomes an OryError carrying a stable `id` and the HTTP status an app
 * should answer with; callers never see axios errors, stack traces or
 * upstream bodies they did not ask for.
 */
export type OryService = "kratos" | "hydra";

export type OryErrorKind =
  /** The service could not be reached (connection refused, DNS, timeout). */
  | "unavailable"
  /** The service answered with a status the caller did not expect. */
  | "unexpected_response";

export class OryError extends Error {
  constructor(
    readonly service: OryService,
    readonly kind: OryErrorKind,
    /** Upstream HTTP status, when the service answered at all. */
    readonly upstreamStatus: number | undefined,
    /** Upstream error id (`error.id` in Ory's envelope), when there is one. */
    readonly upstreamId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "OryError";
  }

  /** A stable identifier an app can render or log: `kratos_unavailable`, `hydra_unexpected_response`. */
  get id(): string {
    return `${this.service}_${this.kind}`;
  }

  /** The status an app should answer with: 503 when Ory is down, 502 when it misbehaves. */
  get httpStatus(): number {
    return this.kind === "unavailable" ? 503 : 502;
  }
}

export function isOryError(value: unknown): value is OryError {
  return value instanceof OryError;
}
