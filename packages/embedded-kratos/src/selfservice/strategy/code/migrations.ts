import type { Migration } from "../../../storage/migrate";

/** Passwordless login/registration codes (recovery and verification secrets live in the core 0004 tables). */
export const codeMigrations: Migration[] = [
  {
    id: "code_0001_login_registration_codes",
    sql: `
CREATE TABLE IF NOT EXISTS selfservice_login_registration_codes (
  id uuid PRIMARY KEY,
  flow_id uuid NOT NULL REFERENCES selfservice_flows (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('login', 'registration')),
  secret_hash bytea NOT NULL,
  address text NOT NULL,
  address_via text NOT NULL DEFAULT 'email',
  identity_id uuid REFERENCES identities (id) ON DELETE CASCADE,
  used_at timestamptz,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS selfservice_login_registration_codes_flow_idx ON selfservice_login_registration_codes (flow_id);`,
  },
];
