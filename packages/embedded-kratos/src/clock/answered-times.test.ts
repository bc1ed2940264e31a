import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";

/**
 * The precision of the times Kratos v26.2 answers. Go prints time.Time as
 * RFC3339Nano (trailing zeros trimmed); what went through Postgres has
 * microseconds (pgx truncates), what is answered before being re-read keeps
 * time.Now()'s nanoseconds:
 * - created_at/updated_at: pop executors.go Create/Update and
 *   persistence/sql/batch/create.go stamp time.Now().UTC().Truncate(time.Microsecond);
 * - flows: login/flow.go NewFlow issued_at = time.Now().UTC(), expires_at = issued_at + lifespan;
 * - sessions: session/manager_http.go ActivateSession sets issued_at =
 *   authenticated_at = time.Now().UTC(); session.go CompletedLoginForMethod
 *   completed_at = time.Now().UTC() (kept whole in the authentication_methods JSON).
 */

const DATABASE = "ciam_answered_times";
/** Go's RFC3339Nano in UTC: no trailing zero in the fraction. */
const GO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,8}[1-9])?Z$/;
const fraction = (time: string) => /\.(\d+)Z$/.exec(time)?.[1] ?? "";
/** Go's Truncate(time.Microsecond) of an RFC3339Nano text. */
const toMicroseconds = (time: string) => {
  const digits = fraction(time).slice(0, 6).replace(/0+$/, "");
  return time.replace(/(\.\d+)?Z$/, digits ? `.${digits}Z` : "Z");
};

describe("answered times (Go RFC3339Nano of Kratos' precision)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(DATABASE)), 120_000);

  afterAll(() => stopKratosAndPostgres(kratos, pg));

  /** The column as Postgres keeps it, in Go's form. */
  const stored = async (sql: string, id: string): Promise<string> => {
    const { rows } = await pg.query<{ t: string }>(sql, [id], DATABASE);
    return `${rows[0]?.t ?? ""}`.replace(/\.?0*Z$/, "Z").replace(/\.Z$/, "Z");
  };
  const US = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

  it("identities: created_at/updated_at are pop's microsecond stamp, as stored", async () => {
    const answers: { id: string; created_at: string; updated_at: string; verifiable_addresses: { created_at: string }[] }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${kratos.adminUrl}/admin/identities`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ schema_id: "default", traits: { email: uniqueEmail("times") } }),
      });
      expect(res.status).toBe(201);
      answers.push((await res.json()) as (typeof answers)[number]);
    }
    for (const body of answers) {
      expect(body.created_at).toMatch(GO_TIME);
      expect(body.updated_at).toBe(body.created_at);
      expect(body.created_at).toBe(await stored(`SELECT ${US("created_at")} AS t FROM identities WHERE id = $1`, body.id));
      const read = (await (await fetch(`${kratos.adminUrl}/admin/identities/${body.id}`)).json()) as typeof body;
      expect(read.created_at).toBe(body.created_at);
      expect(read.verifiable_addresses[0]?.created_at).toBe(body.verifiable_addresses[0]?.created_at);
    }
    // Microseconds, not milliseconds: a millisecond clock never gives more than three digits.
    expect(answers.some((b) => fraction(b.created_at).length > 3)).toBe(true);
  });

  it("flows: issued_at keeps time.Now()'s nanoseconds until re-read, then Postgres' microseconds", async () => {
    const created: { id: string; issued_at: string; expires_at: string; created_at: string; updated_at: string }[] = [];
    for (let i = 0; i < 3; i++)
      created.push((await (await fetch(`${kratos.publicUrl}/self-service/login/api`)).json()) as (typeof created)[number]);
    for (const flow of created) {
      for (const time of [flow.issued_at, flow.expires_at, flow.created_at, flow.updated_at]) expect(time).toMatch(GO_TIME);
      expect(flow.updated_at).toBe(flow.created_at);
      const read = (await (await fetch(`${kratos.publicUrl}/self-service/login/flows?id=${flow.id}`)).json()) as typeof flow;
      expect(read.issued_at).toBe(toMicroseconds(flow.issued_at));
      expect(read.expires_at).toBe(toMicroseconds(flow.expires_at));
      expect(read.created_at).toBe(flow.created_at);
    }
    expect(created.some((f) => fraction(f.issued_at).length > 6)).toBe(true);
  });

  it("sessions: the login answer has nanoseconds, whoami the stored microseconds; completed_at is kept whole", async () => {
    type Session = {
      id: string;
      issued_at: string;
      authenticated_at: string;
      expires_at: string;
      authentication_methods: { completed_at: string }[];
    };
    const answers: Session[] = [];
    for (let i = 0; i < 2; i++) {
      const flow = (await (await fetch(`${kratos.publicUrl}/self-service/registration/api`)).json()) as { ui: { action: string } };
      const res = await fetch(flow.ui.action, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ method: "password", password: STRONG_PASSWORD, traits: { email: uniqueEmail("times") } }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { session: Session; session_token: string };
      const whoami = (await (
        await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": body.session_token } })
      ).json()) as Session;
      const s = body.session;
      for (const time of [s.issued_at, s.authenticated_at, s.expires_at, s.authentication_methods[0]?.completed_at ?? ""])
        expect(time).toMatch(GO_TIME);
      expect(s.authenticated_at).toBe(s.issued_at);
      expect(whoami.issued_at).toBe(toMicroseconds(s.issued_at));
      expect(whoami.authenticated_at).toBe(toMicroseconds(s.authenticated_at));
      expect(whoami.expires_at).toBe(toMicroseconds(s.expires_at));
      expect(whoami.expires_at).toBe(await stored(`SELECT ${US("expires_at")} AS t FROM sessions WHERE id = $1`, s.id));
      expect(whoami.authentication_methods[0]?.completed_at).toBe(s.authentication_methods[0]?.completed_at);
      answers.push(s);
    }
    expect(answers.some((s) => fraction(s.issued_at).length > 6)).toBe(true);
    expect(answers.some((s) => fraction(s.authentication_methods[0]?.completed_at ?? "").length > 6)).toBe(true);
  });
});
