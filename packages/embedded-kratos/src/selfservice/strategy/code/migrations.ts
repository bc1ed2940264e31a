import type { Migration } from "../../../storage/migrate";
import { movedUnderStrategyKey } from "../state-migration";

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
  {
    // The flow's code state used to be five top-level keys of internal_context; it is one `code` key now.
    // Rewrites flows stored before, so a flow in progress during an upgrade carries on.
    id: "code_0002_flow_state_under_strategy_key",
    sql: movedUnderStrategyKey("code", {
      code_login_identifier: "login_identifier",
      code_registration_traits: "registration_traits",
      code_recovery_email: "recovery_email",
      code_verification_email: "verification_email",
      code_submit_count: "submit_count",
    }),
  },
];
