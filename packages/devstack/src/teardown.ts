/**
 * What has been started so far, closed in reverse order: servers before the
 * Postgres they use, Postgres last. Used both for a normal stop and for a
 * start-up that failed or was interrupted half-way.
 */
export class Teardown {
  private readonly steps: { name: string; close: () => Promise<void> }[] = [];
  private closing: Promise<string[]> | undefined;

  add(name: string, close: () => Promise<void>): void {
    this.steps.push({ name, close });
  }

  /** Runs every step once (later calls share the first run); returns the names of steps that failed. */
  run(): Promise<string[]> {
    this.closing ??= (async () => {
      const failed: string[] = [];
      for (const step of [...this.steps].reverse()) {
        try {
          await step.close();
        } catch {
          failed.push(step.name);
        }
      }
      return failed;
    })();
    return this.closing;
  }
}
