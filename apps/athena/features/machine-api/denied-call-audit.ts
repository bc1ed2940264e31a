/**
 * How refused machine-API calls reach the audit log. Every refused call used
 * to write its own row, so anyone on the network could make Athena write to
 * the olympus database as fast as they could send requests. Now the first
 * refusal for a reason in each window is written, the rest of that window
 * are counted, and the next written refusal for that reason carries the
 * count (`suppressed`). Successful calls are always audited one by one.
 *
 * Reasons are few (no token, inactive token, a real client of this Hydra
 * that is not allowed, a missing scope), so the map stays small; it is
 * bounded anyway, since a client id in a reason comes from this Hydra.
 */
export interface DeniedAuditDecision {
  /** Write an audit row for this refusal. */
  record: boolean;
  /** Refusals for the same reason left out of the log since its previous row. */
  suppressed: number;
}

const MAX_REASONS = 256;

export class DeniedCallAudit {
  private readonly windows = new Map<string, { startedAt: number; suppressed: number }>();

  constructor(
    readonly windowMs: number = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  admit(reason: string): DeniedAuditDecision {
    const at = this.now();
    const window = this.windows.get(reason);
    if (window && at - window.startedAt < this.windowMs) {
      window.suppressed += 1;
      return { record: false, suppressed: 0 };
    }
    const suppressed = window?.suppressed ?? 0;
    this.windows.delete(reason);
    if (this.windows.size >= MAX_REASONS) this.forgetExpired(at);
    this.windows.set(reason, { startedAt: at, suppressed: 0 });
    return { record: true, suppressed };
  }

  private forgetExpired(at: number): void {
    for (const [reason, window] of this.windows) if (at - window.startedAt >= this.windowMs) this.windows.delete(reason);
    // Still full of live windows: the oldest goes (its count is lost, never a row).
    if (this.windows.size >= MAX_REASONS) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
  }
}
