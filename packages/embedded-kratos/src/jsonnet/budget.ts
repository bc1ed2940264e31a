/**
 * The limits a Jsonnet evaluation runs under. Kratos never evaluates a mapper
 * in its own process: ory/x jsonnetsecure hands it to a worker process that
 * has one second (`EvaluateAnonymousSnippet`, context.WithTimeoutCause) and a
 * capped address space (`limit_unix.go`, RLIMIT_AS), so a runaway mapper
 * costs one evaluation, not the server. The evaluator here runs in the
 * server's process, so it counts its own work instead: a deadline checked
 * as it evaluates, and a cap on the elements the standard library builds in
 * one go (`std.range(1, 1e9)` would otherwise take the process down).
 */

/** ory/x jsonnetsecure's time limit per evaluation. */
const EVALUATION_TIME_LIMIT_MS = 1000;

/**
 * Elements (array items or string characters) one evaluation may build with
 * the standard library. Kratos' worker gets 1 GiB of address space; a Go
 * value of this many elements fits in it, several times more would not.
 */
export const EVALUATION_ELEMENT_LIMIT = 16 * 1024 * 1024;

/** How many evaluation steps pass between two looks at the clock. */
const STEPS_PER_CLOCK_CHECK = 1024;

/** The evaluation went past its limits; not a Jsonnet runtime error, so it carries no source location. */
export class BudgetExceeded extends Error {
  override name = "BudgetExceeded";
}

export class EvaluationBudget {
  private readonly deadline: number;
  private steps = 0;
  private elements = 0;

  constructor(
    readonly timeLimitMs: number = EVALUATION_TIME_LIMIT_MS,
    private readonly elementLimit: number = EVALUATION_ELEMENT_LIMIT,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = now() + timeLimitMs;
  }

  /** One evaluation step; every so often checks the deadline. */
  step(): void {
    if (++this.steps % STEPS_PER_CLOCK_CHECK === 0) this.checkClock();
  }

  /** Charges `count` elements about to be built (checked before building them) and checks the deadline. */
  charge(count: number): void {
    this.elements += Math.max(0, count);
    if (!(this.elements <= this.elementLimit)) {
      throw new BudgetExceeded(`the evaluation would build more than ${this.elementLimit} elements`);
    }
    this.checkClock();
  }

  private checkClock(): void {
    // What Go's context answers when the worker's second is over.
    if (this.now() > this.deadline) throw new BudgetExceeded("context deadline exceeded");
  }
}
