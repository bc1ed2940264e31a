/** How long `npm run dev` took to be ready, and where the time went (printed in the ready banner). */
export interface StartupTimings {
  /** Seconds from this process's start (Node's own time origin) to ready. */
  totalSeconds: number;
  /** Each phase's end, in seconds since the process started, in the order they ended. */
  marks: { phase: string; atSeconds: number }[];
}

/**
 * Records when each start-up phase ended, measured from this process's start
 * (`performance.now()` counts from Node's time origin), so the figure includes
 * loading the servers' code as well as Postgres, migrations, seeds and the apps.
 */
export class StartupClock {
  private readonly marks: { phase: string; atSeconds: number }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  mark(phase: string): void {
    this.marks.push({ phase, atSeconds: this.now() / 1000 });
  }

  timings(): StartupTimings {
    return { totalSeconds: this.now() / 1000, marks: [...this.marks] };
  }
}

/** "ready in 23.4 s (postgres 2.1 s, databases 3.0 s, servers 5.2 s, seeds 6.0 s, apps 23.4 s after start)". */
export function describeTimings(timings: StartupTimings): string {
  const marks = timings.marks.map((m) => `${m.phase} ${m.atSeconds.toFixed(1)} s`).join(", ");
  return `ready in ${timings.totalSeconds.toFixed(1)} s${marks ? ` (${marks} after start)` : ""}`;
}
