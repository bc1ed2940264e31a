/**
 * The running template's step and time budget, for functions whose own
 * loops can outlast it (sprig's uniq compares every pair): the evaluator
 * installs its check around each call, and such a function spends a step
 * per round, so a cap stops it as it stops the template (exec's error).
 */
let active: (() => void) | undefined;

export function withBudget<T>(check: () => void, run: () => T): T {
  const saved = active;
  active = check;
  try {
    return run();
  } finally {
    active = saved;
  }
}

/** One step of a function's loop; throws the evaluator's cap error once the budget is spent. */
export function spendStep(): void {
  active?.();
}
