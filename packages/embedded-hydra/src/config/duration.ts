// Hydra's TTLs are Go duration strings ("1h", "30m", "720h", "1h30m", "10s").
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/** Parses a Go duration into whole seconds; returns undefined when malformed. */
export function parseDurationSeconds(value: string): number | undefined {
  if (!DURATION.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const [, amount, unit] = match;
    if (amount === undefined || unit === undefined) return undefined;
    total += Number(amount) * (UNIT_SECONDS[unit] ?? 0);
  }
  return Math.round(total);
}
