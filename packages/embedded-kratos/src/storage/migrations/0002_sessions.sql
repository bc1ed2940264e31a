-- Sessions: tokens are stored only as SHA-256 digests.
CREATE TABLE IF NOT EXISTS sessions (
  id uuid PRIMARY KEY,
  identity_id uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  logout_token_hash bytea NOT NULL UNIQUE,
  active boolean NOT NULL DEFAULT true,
  aal text NOT NULL DEFAULT 'aal1',
  authentication_methods jsonb NOT NULL DEFAULT '[]'::jsonb,
  authenticated_at timestamptz NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sessions_identity_idx ON sessions (identity_id, id);

CREATE TABLE IF NOT EXISTS session_devices (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  ip_address text,
  user_agent text,
  location text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS session_devices_session_idx ON session_devices (session_id);
