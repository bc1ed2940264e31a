/**
 * Hydra's per-client token lifespans are Go durations. Athena writes whole
 * minutes ("15m"); Hydra answers in Go's own form ("15m0s", "1h0m0s").
 */
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms))+$/;
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

export function formatLifespan(minutes: number): string {
  return `${minutes}m`;
}

/** Whole minutes (rounded up, so a bound is never understated), or undefined when unset or malformed. */
export function lifespanMinutes(value: string | null | undefined): number | undefined {
  if (!value || !GO_DURATION.test(value)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? ""] ?? 0);
  }
  return seconds > 0 ? Math.ceil(seconds / 60) : undefined;
}
