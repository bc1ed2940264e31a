/** Where in a Jsonnet source something happened (1-based line and column). */
export interface SourceLocation {
  filename: string;
  line: number;
  column: number;
}

/** `limit`: the evaluation went past its time or size limit (see budget.ts). */
export type JsonnetErrorKind = "static" | "runtime" | "unsupported" | "limit";

/**
 * Any failure to evaluate a Jsonnet program. `message` follows go-jsonnet's
 * shape (`RUNTIME ERROR: <reason>` for runtime failures, which Kratos matches
 * on, e.g. a web hook body's `error "cancel"`); `reason` is the bare text.
 */
export class JsonnetError extends Error {
  override name = "JsonnetError";
  readonly kind: JsonnetErrorKind;
  readonly reason: string;
  readonly location: SourceLocation | undefined;

  constructor(message: string, details: { kind?: JsonnetErrorKind; reason?: string; location?: SourceLocation } = {}) {
    super(message);
    this.kind = details.kind ?? "runtime";
    this.reason = details.reason ?? message;
    this.location = details.location;
  }
}

const where = (location: SourceLocation) => `${location.filename}:${location.line}:${location.column}`;

/** A syntax error, or a construct outside the supported subset, found while reading the source. */
export function staticError(reason: string, location: SourceLocation, kind: "static" | "unsupported" = "static"): JsonnetError {
  return new JsonnetError(`STATIC ERROR: ${where(location)}: ${reason}`, { kind, reason, location });
}

/**
 * A failure while evaluating. Raised without a location by value helpers and
 * the standard library; the evaluator attaches the innermost expression's.
 */
export class RuntimeFailure extends Error {
  constructor(
    readonly reason: string,
    public location?: SourceLocation,
    readonly kind: "runtime" | "unsupported" = "runtime",
  ) {
    super(reason);
  }
}

export function toJsonnetError(failure: RuntimeFailure): JsonnetError {
  const suffix = failure.location ? `\n\t${where(failure.location)}` : "";
  return new JsonnetError(`RUNTIME ERROR: ${failure.reason}${suffix}`, {
    kind: failure.kind,
    reason: failure.reason,
    location: failure.location,
  });
}
