import { DevstackError, throwIfAborted } from "./errors";

export interface HealthTarget {
  /** "CIAM Kratos public" */
  name: string;
  url: string;
  /** Checks the body when the status alone is not enough (an app must report its own name and domain). */
  accept?: (body: unknown) => boolean;
}

/** One probe: true when the endpoint answers 2xx (and `accept` agrees). */
export async function probe(target: HealthTarget, timeoutMs = 3000, stop?: AbortSignal): Promise<boolean> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(target.url, { signal: stop ? AbortSignal.any([timeout, stop]) : timeout });
    if (!response.ok) return false;
    if (!target.accept) return true;
    return target.accept(await response.json());
  } catch {
    return false;
  }
}

/** Polls `target` until it is healthy; a timeout names the service and URL. */
export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Pause after a failed probe (250 ms unless set). */
  intervalMs?: number;
  /**
   * How long one probe may wait for its answer (3 s unless set). A Next.js dev
   * server answers its first request only once the route is compiled: a probe
   * that gives up earlier is just asked again later, behind the compile.
   */
  probeTimeoutMs?: number;
  /** Called every `remindEveryMs` while still waiting, so a slow or crashed app does not look like a hang. */
  onStillWaiting?: (waitedSeconds: number) => void;
  remindEveryMs?: number;
}

export async function waitUntilHealthy(target: HealthTarget, options: WaitOptions): Promise<void> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let nextReminder = started + (options.remindEveryMs ?? 60_000);
  for (;;) {
    throwIfAborted(options.signal);
    if (await probe(target, Math.min(options.probeTimeoutMs ?? 3000, Math.max(1, deadline - Date.now())), options.signal)) return;
    if (options.onStillWaiting && Date.now() >= nextReminder) {
      options.onStillWaiting(Math.round((Date.now() - started) / 1000));
      nextReminder += options.remindEveryMs ?? 60_000;
    }
    if (Date.now() > deadline) {
      throw new DevstackError("health", `${target.name} is not healthy at ${target.url} after ${Math.ceil(options.timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
