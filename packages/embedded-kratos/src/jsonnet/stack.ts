import type { Node } from "./ast";
import { RuntimeFailure, type TraceElement } from "./errors";
import type { ManifestTrace } from "./values";

/**
 * go-jsonnet's call stack (interpreter.go callStack), kept for its two observable effects: the 500-frame limit
 * ("max stack frames exceeded.") and the stack trace under every runtime error. A frame is pushed where go-jsonnet's
 * EvalInCleanEnv / newCall push one — a function call, a lazy value (local, argument, array element) being computed,
 * an object field or assertion being evaluated, each value being manifested — and remembers where evaluation was when
 * it was pushed. A call written `f(x) tailstrict` pushes a trimmable frame: a further call in tail position replaces
 * it (tailCallTrimStack) instead of stacking on it.
 */

/** go-jsonnet's default VM.MaxStack: frames, not just function calls. */
const MAX_STACK = 500;

/**
 * What evaluation is looking at: a node (its extent and context name), a named place without a node (a position in
 * go-jsonnet's stdlib/std.jsonnet, which std-frames.ts reproduces, or the `+:` step of a field) or a message such as
 * `Field "a"` (an empty message is go-jsonnet's location-less node, printed as an empty line).
 */
type Place = Node | NamedPlace | { message: string; loc?: Node["loc"] };

/** A position with the frame name go-jsonnet's addContext gives the code there. */
export interface NamedPlace {
  loc: Node["loc"];
  name: string;
}

interface Frame {
  place: Place | undefined;
  trimmable: boolean;
}

function traceOf(place: Place): TraceElement {
  if ("kind" in place) return { loc: place.loc, name: place.context };
  if ("name" in place) return { loc: place.loc, name: place.name };
  return place.loc ? { loc: place.loc } : { message: place.message };
}

export class CallStack {
  private readonly frames: Frame[] = [];

  /**
   * `onFrame` runs as each frame is pushed: the evaluation's budget counts it as a step, so library code that pushes
   * frames and evaluates no node (manifesting a long array, forcing std.map's elements) still meets the deadline.
   */
  constructor(private readonly onFrame: () => void = () => undefined) {}

  /** go-jsonnet's currentTrace: cleared by a new frame, set by each node evaluated. */
  current: Place | undefined;

  /**
   * Manifesting a value within the evaluation (interpreter.go manifestJSON, which builtinToString uses too): a frame
   * per value, and `Field "…"` / `Array element …` / `Checking object assertions` as the place while one is computed.
   */
  readonly manifesting: ManifestTrace = {
    value: (fn) => this.frame(fn),
    at: (message, fn) => this.at({ message }, fn),
  };

  /** The trace an error raised now carries (getCurrentStackTrace), outermost first. */
  snapshot(): TraceElement[] {
    const places = this.frames.map((frame) => frame.place);
    if (this.current) places.push(this.current);
    return places.filter((place): place is Place => place !== undefined).map(traceOf);
  }

  /** Gives a failure that has none yet the trace of this moment. */
  mark(error: unknown): void {
    if (error instanceof RuntimeFailure && !error.trace) error.trace = this.snapshot();
  }

  /** Runs `fn` with `place` as the current trace. */
  at<T>(place: Place, fn: () => T): T {
    const saved = this.current;
    this.current = place;
    try {
      return fn();
    } catch (error) {
      this.mark(error);
      throw error;
    } finally {
      this.current = saved;
    }
  }

  /** EvalInCleanEnv: `fn` in a new frame, popped afterwards unless a tail call already replaced it. */
  frame<T>(fn: () => T, trimmable = false): T {
    this.onFrame();
    if (this.frames.length >= MAX_STACK) {
      const failure = new RuntimeFailure("max stack frames exceeded.");
      failure.trace = this.snapshot();
      throw failure;
    }
    const frame: Frame = { place: this.current, trimmable };
    this.frames.push(frame);
    const saved = this.current;
    this.current = undefined;
    try {
      return fn();
    } catch (error) {
      if (error instanceof RangeError) throw this.exhausted(error);
      this.mark(error);
      throw error;
    } finally {
      if (this.frames[this.frames.length - 1] === frame) this.frames.pop();
      this.current = saved;
    }
  }

  /**
   * JavaScript's own stack ran out before go-jsonnet's 500 frames would (deep tailstrict recursion, which go-jsonnet
   * runs in constant frames): reported as go-jsonnet reports its limit, with the stack of this moment. So close to the
   * limit the conversion itself may fail; then the original error goes on to a frame further out to try again.
   */
  private exhausted(error: RangeError): unknown {
    try {
      if (!error.message.includes("call stack")) return error;
      const failure = new RuntimeFailure("max stack frames exceeded.");
      failure.trace = this.snapshot();
      return failure;
    } catch {
      return error;
    }
  }

  /** tailCallTrimStack: a call in tail position drops the frame of a `tailstrict` call it is the last act of; true if it did. */
  trimForTailCall(): boolean {
    if (!this.frames[this.frames.length - 1]?.trimmable) return false;
    this.frames.pop();
    return true;
  }
}
