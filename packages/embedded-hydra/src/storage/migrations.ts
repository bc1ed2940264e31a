import type pg from "pg";
import { runMigrations as runLedgerMigrations, type Migration, type MigrationLedger } from "@olympus/server-kit/migrations";
import { TRUST_KEY_SET_MIGRATION_SQL, TRUST_MIGRATION_SQL } from "../trust/repository";

/**
 * Ordered schema migrations. Each runs once, in its own transaction, and is
 * recorded in hydra_schema_migrations; the whole run holds an advisory lock so
 * two processes starting against one database do not race. Append only.
 */
export const migrations: readonly Migration<number>[] = [
  {
    id: 1,
    name: "oidc-provider models",
    sql: `
      CREATE TABLE oidc_payloads (
        model       text        NOT NULL,
        id          text        NOT NULL,
        payload     jsonb       NOT NULL,
        grant_id    text,
        user_code   text,
        uid         text,
        account_id  text,
        expires_at  timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (model, id)
      );
      CREATE INDEX oidc_payloads_grant_id ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_payloads_uid ON oidc_payloads (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_payloads_user_code ON oidc_payloads (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_payloads_account ON oidc_payloads (model, account_id) WHERE account_id IS NOT NULL;
      CREATE INDEX oidc_payloads_expires_at ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX oidc_payloads_client_id ON oidc_payloads ((payload->>'clientId'));
    `,
  },
  {
    id: 2,
    name: "oauth2 clients",
    sql: `
      CREATE TABLE hydra_clients (
        pk          bigserial   UNIQUE,
        id          text        PRIMARY KEY,
        secret_hash text,
        data        jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX hydra_clients_name ON hydra_clients ((data->>'client_name'));
      CREATE INDEX hydra_clients_owner ON hydra_clients ((data->>'owner'));
    `,
  },
  {
    id: 3,
    name: "json web keys",
    sql: `
      CREATE TABLE hydra_jwks (
        pk          bigserial   PRIMARY KEY,
        set_id      text        NOT NULL,
        kid         text        NOT NULL,
        private_jwk jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (set_id, kid)
      );
    `,
  },
  {
    id: 4,
    name: "login, consent and logout challenges",
    sql: `
      CREATE TABLE hydra_flows (
        challenge       text        PRIMARY KEY,
        kind            text        NOT NULL CHECK (kind IN ('login', 'consent', 'logout')),
        state           text        NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected', 'used')),
        verifier        text        UNIQUE,
        interaction_uid text,
        subject         text,
        client_id       text,
        request         jsonb       NOT NULL,
        handled         jsonb,
        requested_at    timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL
      );
      CREATE INDEX hydra_flows_expires_at ON hydra_flows (expires_at);
    `,
  },
  {
    id: 5,
    name: "remembered login and consent sessions",
    sql: `
      CREATE TABLE hydra_login_sessions (
        id               text        PRIMARY KEY,
        subject          text        NOT NULL,
        remember         boolean     NOT NULL,
        authenticated_at timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz
      );
      CREATE INDEX hydra_login_sessions_subject ON hydra_login_sessions (subject);
      CREATE INDEX hydra_login_sessions_expires_at ON hydra_login_sessions (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE hydra_consent_sessions (
        grant_id          text        PRIMARY KEY,
        subject           text        NOT NULL,
        client_id         text        NOT NULL,
        login_session_id  text,
        challenge         text        NOT NULL,
        grant_scope       jsonb       NOT NULL,
        grant_audience    jsonb       NOT NULL,
        session           jsonb       NOT NULL,
        context           jsonb,
        consent_request   jsonb       NOT NULL,
        remember          boolean     NOT NULL,
        remember_for      integer     NOT NULL,
        handled_at        timestamptz NOT NULL DEFAULT now(),
        expires_at        timestamptz
      );
      CREATE INDEX hydra_consent_sessions_subject_client ON hydra_consent_sessions (subject, client_id);
      CREATE INDEX hydra_consent_sessions_expires_at ON hydra_consent_sessions (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
  {
    id: 6,
    name: "hash indexes for client name and owner lookups",
    // A B-tree entry is limited to ~2.7 kB, so a long client_name or owner made client writes fail
    // with a 500; the admin API only looks these up by equality, which a hash index serves at any length.
    sql: `
      DROP INDEX IF EXISTS hydra_clients_name;
      DROP INDEX IF EXISTS hydra_clients_owner;
      CREATE INDEX hydra_clients_name ON hydra_clients USING hash ((data->>'client_name'));
      CREATE INDEX hydra_clients_owner ON hydra_clients USING hash ((data->>'owner'));
    `,
  },
  {
    id: 7,
    name: "login/consent CSRF values and logout by ID-token sid",
    // csrf: the value of the per-client CSRF cookie set when the browser was sent to the UI (Hydra's
    // login_csrf/consent_csrf). The index serves finding the login session an id_token_hint's sid names.
    sql: `
      ALTER TABLE hydra_flows ADD COLUMN csrf text;
      CREATE INDEX oidc_payloads_session_authorizations ON oidc_payloads
        USING gin ((payload->'authorizations') jsonb_path_ops) WHERE model = 'Session';
    `,
  },
  { id: 8, name: "trusted JWT-bearer issuers and used assertion ids", sql: TRUST_MIGRATION_SQL },
  { id: 9, name: "JWT-bearer keys in the key set named after their issuer", sql: TRUST_KEY_SET_MIGRATION_SQL },
  {
    id: 10,
    name: "every verifier handed out for a login or consent decision",
    // Hydra's verifiers are encrypted flows it never stores: each accept or reject hands out one that
    // stays valid until the flow expires, whatever was decided later (flows/repository.ts decide).
    sql: `
      CREATE TABLE hydra_flow_verifiers (
        verifier  text  PRIMARY KEY,
        challenge text  NOT NULL REFERENCES hydra_flows (challenge) ON DELETE CASCADE,
        decision  text  NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        handled   jsonb NOT NULL
      );
      CREATE INDEX hydra_flow_verifiers_challenge ON hydra_flow_verifiers (challenge);
      CREATE INDEX hydra_flows_consent_login_challenge ON hydra_flows ((request->>'login_challenge')) WHERE kind = 'consent';
    `,
  },
  {
    id: 11,
    name: "login session ids per login request, the browser's remembered one by its oidc-provider session",
    // Hydra's login session id is drawn per login request, apart from oidc-provider's session uid;
    // browser_uid is Hydra's session cookie (the oidc-provider session of the browser it names). Rows
    // from before were keyed by that uid. ID-token sids name login sessions directly now.
    sql: `
      ALTER TABLE hydra_login_sessions ADD COLUMN browser_uid text;
      UPDATE hydra_login_sessions SET browser_uid = id;
      CREATE UNIQUE INDEX hydra_login_sessions_browser_uid ON hydra_login_sessions (browser_uid) WHERE browser_uid IS NOT NULL;
      CREATE INDEX hydra_consent_sessions_login_session ON hydra_consent_sessions (login_session_id) WHERE login_session_id IS NOT NULL;
      DROP INDEX IF EXISTS oidc_payloads_session_authorizations;
    `,
  },
  {
    id: 12,
    name: "client creation times rounded to the second",
    // Hydra stores created_at as client/handler.go CreateClient sets it, time.Now().UTC().Round(time.Second)
    // (halves up); clients created by earlier versions kept microseconds. updated_at stays: pop stamps it
    // with microseconds on every write, Hydra's too.
    sql: `
      UPDATE hydra_clients
        SET created_at = date_trunc('second', (created_at AT TIME ZONE 'UTC') + interval '500 milliseconds') AT TIME ZONE 'UTC'
        WHERE created_at <> date_trunc('second', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    `,
  },
  {
    id: 13,
    name: "the login's request and authentication times with each consent session",
    // Hydra's token session keeps the flow's RequestedAt (the login request's second: the ID tokens'
    // and userinfo's `rat`) and LoginAuthenticatedAt (userinfo's `auth_time`), also long after the
    // flow is gone. Consent sessions from earlier versions have neither: they are left out, as fosite
    // leaves out a zero time.
    sql: `
      ALTER TABLE hydra_consent_sessions ADD COLUMN login_requested_at timestamptz;
      ALTER TABLE hydra_consent_sessions ADD COLUMN login_authenticated_at timestamptz;
    `,
  },
];

/** The table embedded Hydra has always recorded its migrations in. */
const HYDRA_LEDGER: MigrationLedger = {
  table: "hydra_schema_migrations",
  idColumn: { name: "version", type: "integer" },
  recordsNames: true,
  lockKey: 7_244_501, // arbitrary, constant: "embedded-hydra migrations"
};

export async function runMigrations(pool: pg.Pool): Promise<void> {
  await runLedgerMigrations(pool, HYDRA_LEDGER, migrations);
}

/** Deletes rows whose lifetime has passed; run periodically. */
export async function deleteExpired(pool: pg.Pool): Promise<void> {
  await pool.query("DELETE FROM oidc_payloads WHERE expires_at < now()");
  // Logout requests stay, as Hydra's janitor never flushes hydra_oauth2_logout_request: an expired
  // one is still read (200/410) and its verifier answered "expired", not "not found".
  await pool.query("DELETE FROM hydra_flows WHERE expires_at < now() AND kind <> 'logout'");
  await pool.query("DELETE FROM hydra_login_sessions WHERE expires_at < now()");
  await pool.query("DELETE FROM hydra_consent_sessions WHERE expires_at < now()");
  await pool.query("DELETE FROM hydra_jwt_bearer_jtis WHERE expires_at < now()");
}
