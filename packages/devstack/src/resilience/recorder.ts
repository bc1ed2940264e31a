/**
 * Every answer a fault run gets, and what was wrong with it. The bar of the
 * fault runs: each request gets the status its journey expects or a 503 that
 * says when to come back (Retry-After) — never another 5xx, never silence.
 */

export interface CallOptions {
  /** Statuses this step counts as a normal answer (besides a 503 with Retry-After). */
  expect: readonly number[];
  init?: RequestInit;
  /** Per request; a server that takes longer counts as not answering. */
  timeoutMs?: number;
}

export interface RecorderSummary {
  requests: number;
  /** 503s with Retry-After: the clear "come back later" answer. */
  unavailable: number;
  /** Any status ≥ 500 other than such a 503. */
  serverErrors: number;
  unanswered: number;
  /** Requests answered with an expected status other than 503. */
  served: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Enough to tell what went wrong without flooding the test output. */
const MAX_PROBLEMS_KEPT = 50;

export class LoadRecorder {
  /** `${step} ${status}` → count, for the failure message and the figures. */
  readonly counts = new Map<string, number>();
  readonly problems: string[] = [];
  private readonly summary: RecorderSummary = { requests: 0, unavailable: 0, serverErrors: 0, unanswered: 0, served: 0 };
  /** Normal answers per step since the last `mark()`: proof that a step recovered. */
  private servedSinceMark = new Map<string, number>();

  /** Sends one request; resolves to the response when it was an expected answer (503 included), else undefined. */
  async call(step: string, url: string, options: CallOptions): Promise<Response | undefined> {
    this.summary.requests++;
    let response: Response;
    try {
      response = await fetch(url, { ...options.init, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    } catch (error) {
      this.summary.unanswered++;
      this.count(`${step} no answer`);
      this.problem(`${step}: no answer (${describeFetchError(error)})`);
      return undefined;
    }
    this.count(`${step} ${response.status}`);
    if (response.status === 503 && response.headers.get("retry-after") !== null) {
      this.summary.unavailable++;
      return response;
    }
    if (response.status >= 500) {
      this.summary.serverErrors++;
      this.problem(`${step}: ${response.status} ${(await response.text()).slice(0, 200)}`);
      return undefined;
    }
    if (!options.expect.includes(response.status)) {
      this.problem(`${step}: unexpected ${response.status} ${(await response.text()).slice(0, 200)}`);
      return undefined;
    }
    this.summary.served++;
    this.servedSinceMark.set(step, (this.servedSinceMark.get(step) ?? 0) + 1);
    return response;
  }

  /** Starts a new count of normal answers per step (call when the fault ends). */
  mark(): void {
    this.servedSinceMark = new Map();
  }

  servedSinceLastMark(step: string): number {
    return this.servedSinceMark.get(step) ?? 0;
  }

  totals(): RecorderSummary {
    return { ...this.summary };
  }

  /** Records a broken promise that is not an HTTP status (a lost record, a malformed body). */
  problem(text: string): void {
    if (this.problems.length < MAX_PROBLEMS_KEPT) this.problems.push(text);
    else if (this.problems.length === MAX_PROBLEMS_KEPT) this.problems.push("… (more problems left out)");
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message}` : "";
  return `${error.name}${cause}`;
}
