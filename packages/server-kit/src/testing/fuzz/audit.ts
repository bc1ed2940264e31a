/** A row that appeared (or changed) during a fuzz run although no accepted answer accounts for it. */
export interface AuditFinding {
  table: string;
  id: string;
  problem: string;
}

/** What a server's storage audit found: rows per table before and after, and the unexplained ones. */
export interface AuditReport {
  counts: Record<string, { before: number; after: number }>;
  findings: AuditFinding[];
}

/** "table 3→5, other 0→1", for the run's log line. */
export function rowCountSummary(counts: AuditReport["counts"]): string {
  return Object.entries(counts)
    .map(([t, c]) => `${t} ${c.before}→${c.after}`)
    .join(", ");
}
