-- Self-service flows of all kinds (login, registration, settings, recovery, verification).
CREATE TABLE IF NOT EXISTS selfservice_flows (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('login', 'registration', 'settings', 'recovery', 'verification')),
  type text NOT NULL CHECK (type IN ('browser', 'api')),
  state text NOT NULL,
  ui jsonb NOT NULL,
  request_url text NOT NULL,
  return_to text,
  active_method text,
  csrf_token text NOT NULL DEFAULT '',
  identity_id uuid REFERENCES identities (id) ON DELETE CASCADE,
  session_id uuid,
  requested_aal text,
  refresh boolean NOT NULL DEFAULT false,
  -- Strategy-private state (e.g. pending code ids, submitted traits); never rendered.
  internal_context jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Flow-kind extras rendered as-is (oauth2_login_challenge, identity_schema, ...).
  extra jsonb NOT NULL DEFAULT '{}'::jsonb,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS selfservice_flows_expires_idx ON selfservice_flows (expires_at);

-- User-facing errors shown by the error UI (/self-service/errors?id=).
CREATE TABLE IF NOT EXISTS selfservice_errors (
  id uuid PRIMARY KEY,
  error jsonb NOT NULL,
  seen_at timestamptz,
  was_seen boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
