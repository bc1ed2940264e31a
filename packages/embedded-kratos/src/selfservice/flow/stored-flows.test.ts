import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../testing/harness";
import { Database } from "../../storage/database";
import { coreMigrations, migrate } from "../../storage/migrate";
import { codeMigrations } from "../strategy/code/migrations";
import { codeState } from "../strategy/code/state";
import { secretsFor } from "../strategy/mailed-secret/tokens";
import { linkStrategy } from "../strategy/link/strategy";
import { linkState } from "../strategy/link/state";
import { FlowRepository } from "./repository";

/**
 * Flows written before the typed flow state — strategy keys flat in
 * internal_context, public extras and settings' schema keys in `extra` —
 * still load after the strategies' migrations, with the same typed fields;
 * and saving a flow writes the same columns it reads.
 */
describe("stored flows (typed fields over the internal_context and extra columns)", () => {
  let pg: TestPostgres;
  let db: Database;
  let flows: FlowRepository;

  beforeAll(async () => {
    pg = await startTestPostgres();
    db = new Database(await pg.createDatabase("ciam_stored_flows"));
    await migrate(db, coreMigrations());
    flows = new FlowRepository(db);
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  });

  async function insertOldRow(
    kind: string,
    internal: Record<string, unknown>,
    extra: Record<string, unknown>,
    requestedAal: string | null = null,
  ): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO selfservice_flows (id, kind, type, state, ui, request_url, return_to, active_method, csrf_token, identity_id, session_id,
         requested_aal, refresh, internal_context, extra, issued_at, expires_at, created_at, updated_at)
       VALUES ($1, $2, 'browser', 'sent_email', $3, 'http://localhost/', NULL, 'code', '', NULL, NULL, $4, false, $5, $6, now(), now() + interval '1 hour', now(), now())`,
      [
        id,
        kind,
        JSON.stringify({ action: "http://localhost/", method: "POST", nodes: [] }),
        requestedAal,
        JSON.stringify(internal),
        JSON.stringify(extra),
      ],
    );
    return id;
  }

  it("moves the code and link strategies' flat keys under their own key, and reads every typed field", async () => {
    const traits = { email: "ada@example.com", name: { first: "Ada", last: null } };
    const login = await insertOldRow(
      "login",
      { code_login_identifier: "ada@example.com", code_submit_count: 2, webauthn: { login: { challenge: "c" } } },
      { oauth2_login_challenge: "challenge-1" },
      "aal1",
    );
    const registration = await insertOldRow(
      "registration",
      { code_registration_traits: traits },
      { identity_schema: "customer", oauth2_login_challenge: "challenge-2" },
    );
    const recovery = await insertOldRow("recovery", { code_recovery_email: "Ada@Example.com", dangerous_skip_csrf_check: true }, {});
    const verification = await insertOldRow("verification", { link_verification_email: "ada@example.com" }, {});
    const continueWith = [{ action: "redirect_browser_to", redirect_browser_to: "http://localhost/after" }];
    const settings = await insertOldRow(
      "settings",
      {},
      { __schema_keys: ["traits.email", "traits.name.first"], continue_with: continueWith },
    );

    await migrate(db, [...codeMigrations, ...(linkStrategy.migrations ?? [])]);

    const loginFlow = await flows.get("login", login);
    expect(loginFlow?.internal).toEqual({
      code: { login_identifier: "ada@example.com", submit_count: 2 },
      webauthn: { login: { challenge: "c" } },
    });
    expect(loginFlow && codeState(loginFlow)).toEqual({ login_identifier: "ada@example.com", submit_count: 2 });
    expect(loginFlow).toMatchObject({ kind: "login", requestedAal: "aal1", refresh: false, oauth2LoginChallenge: "challenge-1" });

    const registrationFlow = await flows.get("registration", registration);
    // Null trait values survive the move (only absent keys are dropped).
    expect(registrationFlow && codeState(registrationFlow).registration_traits).toEqual(traits);
    expect(registrationFlow).toMatchObject({ identitySchema: "customer", oauth2LoginChallenge: "challenge-2" });

    const recoveryFlow = await flows.get("recovery", recovery);
    expect(recoveryFlow).toMatchObject({ skipCsrfCheck: true, internal: { code: { recovery_email: "Ada@Example.com" } } });

    const verificationFlow = await flows.get("verification", verification);
    expect(verificationFlow && linkState(verificationFlow)).toEqual({ verification_email: "ada@example.com" });

    const settingsFlow = await flows.get("settings", settings);
    expect(settingsFlow).toMatchObject({ schemaKeys: ["traits.email", "traits.name.first"], continueWith });

    // A flow of another kind is not found under this one.
    expect(await flows.get("login", recovery)).toBeUndefined();
  });

  it("writes back exactly the columns it read", async () => {
    const id = await insertOldRow(
      "recovery",
      { code: { recovery_email: "a@example.com", submit_count: 1 }, dangerous_skip_csrf_check: true },
      {},
    );
    const before = await db.query("SELECT internal_context, extra FROM selfservice_flows WHERE id = $1", [id]);
    const flow = await flows.get("recovery", id);
    if (!flow) throw new Error("flow not found");
    await flows.save(flow);
    const after = await db.query("SELECT internal_context, extra FROM selfservice_flows WHERE id = $1", [id]);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it("never writes a smaller code submit_count back (Kratos' own submit_count column, persister_code.go incrementOTPCodeSubmitCount)", async () => {
    const id = await insertOldRow("login", { code: { login_identifier: "a@example.com", submit_count: 1 } }, {});
    const stale = await flows.get("login", id);
    if (!stale) throw new Error("flow not found");
    // Parallel submissions counted two more while this request held its copy.
    await secretsFor(db).countSubmission(id);
    await secretsFor(db).countSubmission(id);
    await flows.save(stale);
    const saved = await flows.get("login", id);
    expect(saved && codeState(saved)).toEqual({ login_identifier: "a@example.com", submit_count: 3 });
    // A flow without code state keeps the count too.
    const other = await insertOldRow("login", { code: { submit_count: 4 } }, {});
    const fresh = await flows.get("login", other);
    if (!fresh) throw new Error("flow not found");
    fresh.internal = {};
    await flows.save(fresh);
    const kept = await flows.get("login", other);
    expect(kept && codeState(kept).submit_count).toBe(4);
  });
});
