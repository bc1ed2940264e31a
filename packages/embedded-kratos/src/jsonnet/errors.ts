/** Where in a Jsonnet source something happened (1-based line and column). */
export interface SourceLocation {
  filename: string;
  line: number;
  column: number;
}

/** A node's extent, go-jsonnet's ast.LocationRange: the end is the position just past its last character. */
export interface SourceRange extends SourceLocation {
  endLine: number;
  endColumn: number;
}

/**
 * One line of go-jsonnet's stack trace (traceElement): where evaluation was and the name of the
 * code around it (`$`, `function <f>`, `object <o>`, `thunk from <…>`), or a message such as
 * `During evaluation` in place of a location.
 */
export interface TraceElement {
  loc?: SourceRange;
  message?: string;
  name?: string;
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
  /** The stack when the failure arose, outermost first (go-jsonnet's getCurrentStackTrace); set by the evaluator. */
  trace?: TraceElement[];

  constructor(
    readonly reason: string,
    public location?: SourceLocation,
    readonly kind: "runtime" | "unsupported" = "runtime",
  ) {
    super(reason);
  }
}

/** go-jsonnet's LocationRange.String(). */
function rangeText(loc: SourceRange): string {
  const begin = `${loc.line}:${loc.column}`;
  if (loc.line === loc.endLine) {
    if (loc.column === loc.endColumn) return `${loc.filename}:${begin}`;
    return `${loc.filename}:${begin}-${loc.endColumn}`;
  }
  return `${loc.filename}:(${begin})-(${loc.endLine}:${loc.endColumn})`;
}

/** The stack trace lines termErrorFormatter.buildStackTrace writes (not pretty, at most 20 frames: the 10 innermost, `...`, the 10 outermost). */
export const MAX_TRACE_FRAMES = 20;

export function formatTrace(frames: readonly TraceElement[]): string {
  const above = MAX_TRACE_FRAMES / 2;
  const below = MAX_TRACE_FRAMES - above;
  const size = frames.length;
  let out = "";
  for (let i = 0; i < size; i++) {
    if (size > MAX_TRACE_FRAMES && i >= above && i < size - below) {
      out += "\t...\n";
      i = size - below - 1;
      continue;
    }
    const frame = frames[size - i - 1] as TraceElement;
    out += `\t${frame.loc ? rangeText(frame.loc) : (frame.message ?? "")}\t${frame.name ?? ""}\n`;
  }
  return out;
}

/** The text go-jsonnet's VM returns for a runtime error: `RUNTIME ERROR: <reason>`, a newline, then the stack trace. */
export function toJsonnetError(failure: RuntimeFailure): JsonnetError {
  const trace = failure.trace ?? [];
  const innermost = [...trace].reverse().find((frame) => frame.loc)?.loc ?? failure.location;
  return new JsonnetError(`RUNTIME ERROR: ${failure.reason}\n${formatTrace(trace)}`, {
    kind: failure.kind,
    reason: failure.reason,
    location: innermost,
  });
}
