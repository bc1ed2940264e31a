/**
 * How long an embedded tenant's app may sit without a connection before it is stopped (app-gate.ts), as the
 * operator writes it: `10m`, `90s`, `1h`, `500ms`, or `0`/`never` for an app that always runs.
 *
 * The default, 10 minutes: a visitor in the middle of signing in (a form, a mailed code, a second factor)
 * comes back within minutes and should not pay a start, while a tenant nobody uses — most of them, most of
 * the day — frees its apps' memory. A start costs the first visitor about a second or two (the bench prints it).
 */
export const DEFAULT_APP_IDLE_TIMEOUT = "10m";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d{1,9})(ms|s|m|h)$/;

/** Milliseconds, 0 for always on; undefined when the text is not a timeout. */
export function parseAppIdleTimeout(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (value === "0" || value === "never") return 0;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const FLAG = "--app-idle-timeout=";

/** The supervisor's flag, as `startEmbeddedTenant` passes an operator's override. */
export function appIdleTimeoutFlags(timeout: string | undefined): string[] {
  return timeout === undefined ? [] : [`${FLAG}${timeout}`];
}

export function appIdleTimeoutFromFlags(flags: readonly string[]): string | undefined {
  return flags.find((flag) => flag.startsWith(FLAG))?.slice(FLAG.length);
}

/** The timeout a supervisor applies, in milliseconds: the override, else the tenant's record, else the default. */
export function resolveAppIdleTimeout(override: string | undefined, recorded: string | undefined): number {
  const text = override ?? recorded ?? DEFAULT_APP_IDLE_TIMEOUT;
  const ms = parseAppIdleTimeout(text);
  if (ms === undefined) throw new Error(`app idle timeout "${text}": expected a duration like 10m, 90s or 1h, or 0/never`);
  return ms;
}
