/** One test mail per admin this often (a "use server" module may export only actions, so it lives here). */
export const TEST_MAIL_INTERVAL_MS = 10_000;

/**
 * At most one use per key (an admin) every `intervalMs`, in this process.
 * Enough for a button that sends mail: the point is that a held-down click
 * cannot turn Athena into a mail cannon, not a distributed quota.
 */
export function createCooldown(intervalMs: number) {
  const lastUse = new Map<string, number>();
  return {
    /** Records a use now, or says how many whole seconds remain before the next one is allowed. */
    take(key: string, now: number = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const last = lastUse.get(key);
      if (last !== undefined && now - last < intervalMs) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((intervalMs - (now - last)) / 1000)) };
      }
      lastUse.set(key, now);
      // Old entries are of no use once their interval passed.
      if (lastUse.size > 1_000) for (const [k, t] of lastUse) if (now - t >= intervalMs) lastUse.delete(k);
      return { ok: true };
    },
  };
}
