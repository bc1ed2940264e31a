/**
 * Go's time.ParseDuration as Ory configuration files use it ("1h", "15m",
 * "720h", "1h30m", "500ms"): a sequence of decimal numbers, each with a unit
 * (ns, us, µs, ms, s, m, h), or a bare "0". Surrounding whitespace is
 * ignored; signs are not supported (no Ory setting takes a negative span).
 */
const MILLISECONDS_PER_UNIT: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The span in milliseconds (fractions kept), or undefined when `input` is not a Go duration. */
export function parseGoDurationMs(input: string): number | undefined {
  const text = input.trim();
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const unit = MILLISECONDS_PER_UNIT[m[2] ?? ""];
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
    matched = re.lastIndex;
  }
  if (matched !== text.length || text.length === 0) return undefined;
  return total;
}

/** The span in whole seconds (rounded), or undefined when `input` is not a Go duration. */
export function parseGoDurationSeconds(input: string): number | undefined {
  const ms = parseGoDurationMs(input);
  return ms === undefined ? undefined : Math.round(ms / 1000);
}
