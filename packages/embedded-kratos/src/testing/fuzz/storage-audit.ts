import type { AuditFinding, AuditReport } from "@olympus/server-kit/testing/fuzz";
import type { TestPostgres } from "../harness";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

// Bounded repetitions: an unbounded pattern backtracks quadratically over the long runs of letters hostile answers echo.
const EMAIL = /[a-z0-9._+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/gi;

/** Every UUID and email address in a text (response bodies and Location headers): what an answer announced. */
export function announcedIn(text: string): string[] {
  return [...(text.match(UUID) ?? []), ...(text.match(EMAIL) ?? [])].map((u) => u.toLowerCase());
}

const TABLES = [
  "identities",
  "identity_credentials",
  "identity_verifiable_addresses",
  "identity_recovery_addresses",
  "sessions",
  "selfservice_flows",
  "selfservice_errors",
  "courier_messages",
  "selfservice_recovery_tokens",
  "selfservice_verification_tokens",
  "selfservice_login_registration_codes",
];

/**
 * "Nothing stored from a rejected request", checked in the database: every
 * identity, session, flow, error record, one-time secret and mail that
 * appeared (or identity that changed) during the run must belong to an id
 * that some *accepted* answer announced (2xx/3xx, or a flow answer carrying
 * an info message such as "code sent").
 */
export class StorageAudit {
  private before: Record<string, number> = {};
  private startedAt = new Date(0);

  constructor(
    private readonly pg: TestPostgres,
    private readonly database: string,
  ) {}

  private async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES)
      out[table] = Number((await this.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`, [], this.database)).rows[0]?.n);
    return out;
  }

  private addressesBefore = new Set<string>();

  private async addresses(): Promise<string[]> {
    const { rows } = await this.pg.query<{ value: string }>(
      "SELECT value FROM identity_verifiable_addresses UNION SELECT value FROM identity_recovery_addresses",
      [],
      this.database,
    );
    return rows.map((r) => r.value);
  }

  async start(): Promise<void> {
    this.before = await this.counts();
    this.addressesBefore = new Set(await this.addresses());
    const [clock] = (await this.pg.query<{ now: Date }>("SELECT now() AS now", [], this.database)).rows;
    if (!clock) throw new Error("SELECT now() returned no row");
    this.startedAt = clock.now;
  }

  /**
   * `accepted`: ids announced by accepted answers. `acceptedTargets`: request targets (path + query)
   * that were accepted — a flow made by an accepted HEAD request has no body to announce its id.
   */
  async finish(accepted: ReadonlySet<string>, acceptedTargets: ReadonlySet<string> = new Set()): Promise<AuditReport> {
    const after = await this.counts();
    const findings: AuditFinding[] = [];
    const since = this.startedAt;
    const rows = async (sql: string) => (await this.pg.query(sql, [since], this.database)).rows as Record<string, unknown>[];
    const expectAccepted = (table: string, id: unknown, owner: unknown = id) => {
      if (!accepted.has(String(owner)))
        findings.push({ table, id: String(id), problem: `not announced by any accepted response (owner ${String(owner)})` });
    };

    for (const r of await rows("SELECT id FROM identities WHERE created_at > $1 OR updated_at > $1")) expectAccepted("identities", r.id);
    for (const r of await rows("SELECT id, identity_id FROM sessions WHERE created_at > $1")) expectAccepted("sessions", r.id);
    // A flow's request_url is the target as a URL parser writes it (e.g. `'` in a query becomes %27): compare like with like.
    const targets = new Set([...acceptedTargets].map(normalizedTarget));
    for (const r of await rows("SELECT id, kind, type, request_url FROM selfservice_flows WHERE created_at > $1")) {
      const url = new URL(String(r.request_url));
      if (!accepted.has(String(r.id)) && !targets.has(`${url.pathname}${url.search}`))
        findings.push({
          table: "selfservice_flows",
          id: String(r.id),
          problem: `${String(r.kind)}/${String(r.type)} flow from ${String(r.request_url).slice(0, 160)} not announced by any accepted response`,
        });
    }
    for (const r of await rows("SELECT id FROM selfservice_errors WHERE created_at > $1")) expectAccepted("selfservice_errors", r.id);
    for (const table of ["selfservice_recovery_tokens", "selfservice_verification_tokens", "selfservice_login_registration_codes"]) {
      for (const r of await rows(`SELECT id, flow_id FROM ${table} WHERE created_at > $1`)) expectAccepted(table, r.id, r.flow_id);
    }
    // No mail to an address no account used (Kratos' notify_unknown_recipients is off); an address an
    // accepted admin update replaced afterwards still counts as an account's address.
    const addresses = new Set([...this.addressesBefore, ...(await this.addresses())]);
    for (const r of await rows("SELECT id, recipient, template_type FROM courier_messages WHERE created_at > $1")) {
      // A sign-up code goes to an address that has no account yet — by design, once the sign-up was accepted.
      const signUp = r.template_type === "registration_code_valid" && accepted.has(String(r.recipient));
      if (!addresses.has(String(r.recipient)) && !signUp) {
        findings.push({
          table: "courier_messages",
          id: String(r.id),
          problem: `mail to an address no identity has: ${String(r.recipient).slice(0, 80)}`,
        });
      }
    }
    return {
      counts: Object.fromEntries(TABLES.map((t) => [t, { before: this.before[t] ?? 0, after: after[t] ?? 0 }])),
      findings,
    };
  }
}

/** A request target (path + query) as WHATWG URL parsing writes it; unparseable targets stay as sent. */
function normalizedTarget(target: string): string {
  if (!URL.canParse(target, "http://fuzz.invalid")) return target;
  const url = new URL(target, "http://fuzz.invalid");
  return `${url.pathname}${url.search}`;
}
