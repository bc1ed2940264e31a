import type { AuditFinding, AuditReport } from "@olympus/server-kit/testing/fuzz";
import type { TestPostgres } from "@olympus/test-postgres";

/** Every token-like word (ids, challenges, opaque tokens) in a text, and every string of a JSON body: what an answer announced. */
export function announcedIn(text: string): string[] {
  const words = text.match(/[A-Za-z0-9_.~-]{16,}/g) ?? [];
  try {
    return [...words, ...stringLeaves(JSON.parse(text) as unknown)];
  } catch {
    return words;
  }
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(stringLeaves);
}

type Snapshot = Record<string, Set<string>>;

const QUERIES: Record<string, string> = {
  oidc_payloads: "SELECT model || ':' || id AS key FROM oidc_payloads",
  hydra_clients: "SELECT id AS key FROM hydra_clients",
  hydra_jwks: "SELECT set_id || ':' || kid AS key FROM hydra_jwks",
  hydra_flows: "SELECT challenge AS key FROM hydra_flows",
  hydra_login_sessions: "SELECT id AS key FROM hydra_login_sessions",
  hydra_consent_sessions: "SELECT grant_id AS key FROM hydra_consent_sessions",
};

/**
 * "Nothing stored from a rejected request", checked in the database: every
 * client, key, challenge, oidc-provider record (interaction, session,
 * token) and remembered session that appeared during the run must be one an
 * accepted answer (2xx, or a redirect that is not an error redirect)
 * announced or the accepted request itself named — directly, or for an
 * interaction or a grant through the challenge that points at it.
 */
export class StorageAudit {
  private before: Snapshot = {};

  constructor(
    private readonly pg: TestPostgres,
    private readonly database: string,
  ) {}

  private async snapshot(): Promise<Snapshot> {
    const out: Snapshot = {};
    for (const [table, sql] of Object.entries(QUERIES)) {
      out[table] = new Set((await this.pg.query(sql, [], this.database)).rows.map((r: { key: string }) => r.key));
    }
    return out;
  }

  async start(): Promise<void> {
    this.before = await this.snapshot();
  }

  async finish(accepted: ReadonlySet<string>): Promise<AuditReport> {
    const after = await this.snapshot();
    const findings: AuditFinding[] = [];
    const fresh = (table: string) => [...(after[table] ?? [])].filter((k) => !(this.before[table] ?? new Set()).has(k));
    const announcedFlows = new Set<string>();
    for (const challenge of fresh("hydra_flows")) {
      if (accepted.has(challenge)) announcedFlows.add(challenge);
      else findings.push({ table: "hydra_flows", id: challenge, problem: "challenge not announced by any accepted response" });
    }
    const { rows } = await this.pg.query(
      "SELECT challenge, interaction_uid FROM hydra_flows WHERE interaction_uid IS NOT NULL",
      [],
      this.database,
    );
    const interactionsOfAnnounced = new Set(
      rows
        .filter((r: { challenge: string }) => announcedFlows.has(r.challenge) || (this.before.hydra_flows ?? new Set()).has(r.challenge))
        .map((r: { interaction_uid: string }) => r.interaction_uid),
    );
    // A consent accepted through the admin API stores its grant then: owned by the challenge the accepted request named.
    const grants = new Set<string>();
    const consents = await this.pg.query("SELECT grant_id, challenge FROM hydra_consent_sessions", [], this.database);
    const freshConsents = new Set(fresh("hydra_consent_sessions"));
    for (const row of consents.rows as { grant_id: string; challenge: string }[]) {
      if (!freshConsents.has(row.grant_id)) continue;
      if (accepted.has(row.challenge)) grants.add(row.grant_id);
      else
        findings.push({
          table: "hydra_consent_sessions",
          id: row.grant_id,
          problem: `consent for challenge ${row.challenge} that no accepted request named`,
        });
    }
    for (const key of fresh("oidc_payloads")) {
      const [model = "", ...rest] = key.split(":");
      const id = rest.join(":");
      if (model === "Interaction" ? interactionsOfAnnounced.has(id) : model === "Grant" ? grants.has(id) : accepted.has(id)) continue;
      findings.push({ table: "oidc_payloads", id: key, problem: "record not announced by any accepted response" });
    }
    for (const table of ["hydra_clients", "hydra_login_sessions"]) {
      for (const key of fresh(table))
        if (!accepted.has(key)) findings.push({ table, id: key, problem: "not announced by any accepted response" });
    }
    for (const key of fresh("hydra_jwks")) {
      if (!accepted.has(key.split(":").slice(1).join(":")))
        findings.push({ table: "hydra_jwks", id: key, problem: "key not announced by any accepted response" });
    }
    return {
      counts: Object.fromEntries(Object.keys(QUERIES).map((t) => [t, { before: this.before[t]?.size ?? 0, after: after[t]?.size ?? 0 }])),
      findings,
    };
  }
}
