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
  /** A static error's extent, which go-jsonnet's formatter quotes the source lines of. */
  readonly range: SourceRange | undefined;

  constructor(message: string, details: { kind?: JsonnetErrorKind; reason?: string; location?: SourceLocation; range?: SourceRange } = {}) {
    super(message);
    this.kind = details.kind ?? "runtime";
    this.reason = details.reason ?? message;
    this.location = details.location;
    this.range = details.range;
  }
}

/**
 * A syntax or scoping error found while reading the source, worded as internal/errors staticError.Error() gives it:
 * the extent (a lexer error's is one position) and the reason, without a prefix. index.ts adds the source excerpt
 * (staticErrorText) once the whole text is known.
 */
export function staticError(
  reason: string,
  location: SourceLocation | SourceRange,
  kind: "static" | "unsupported" = "static",
): JsonnetError {
  const range: SourceRange = "endLine" in location ? location : { ...location, endLine: location.line, endColumn: location.column };
  return new JsonnetError(`${rangeText(range)} ${reason}`, { kind, reason, location, range });
}

/**
 * error_formatter.go termErrorFormatter.formatStatic: the error's line, an empty line, the source lines its extent
 * covers (showCode: the line up to it, the extent, the line after it), then an empty line. The lines are
 * ast.BuildSource's: split after each newline, the text after the last one a line of its own.
 */
export function staticErrorText(error: JsonnetError, source: string): JsonnetError {
  const range = error.range;
  if (error.kind !== "static" || !range) return error;
  const lines = source.split("\n");
  const quoted = lines.slice(range.line - 1, range.endLine).join("\n");
  return new JsonnetError(`${error.message}\n\n${quoted}\n\n`, { kind: error.kind, reason: error.reason, location: error.location, range });
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
const MAX_TRACE_FRAMES = 20;

function formatTrace(frames: readonly TraceElement[]): string {
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
