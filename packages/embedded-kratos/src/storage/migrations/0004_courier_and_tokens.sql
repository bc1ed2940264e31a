-- Courier queue (sending is implemented by the courier module) and the
-- recovery/verification secrets the link and code strategies issue.
CREATE TABLE IF NOT EXISTS courier_messages (
  id uuid PRIMARY KEY,
  type text NOT NULL DEFAULT 'email' CHECK (type IN ('email', 'phone')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'processing', 'abandoned')),
  recipient text NOT NULL,
  subject text NOT NULL DEFAULT '',
  body text NOT NULL DEFAULT '',
  template_type text NOT NULL,
  template_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  channel text,
  send_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS courier_messages_status_idx ON courier_messages (status, created_at);
CREATE INDEX IF NOT EXISTS courier_messages_recipient_idx ON courier_messages (recipient);

CREATE TABLE IF NOT EXISTS courier_message_dispatches (
  id uuid PRIMARY KEY,
  message_id uuid NOT NULL REFERENCES courier_messages (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('failed', 'success')),
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS courier_message_dispatches_message_idx ON courier_message_dispatches (message_id);

-- strategy: 'link' (token in a URL) or 'code' (short one-time code); secrets stored hashed.
CREATE TABLE IF NOT EXISTS selfservice_recovery_tokens (
  id uuid PRIMARY KEY,
  strategy text NOT NULL CHECK (strategy IN ('link', 'code')),
  secret_hash bytea NOT NULL,
  identity_id uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  recovery_address_id uuid REFERENCES identity_recovery_addresses (id) ON DELETE CASCADE,
  flow_id uuid REFERENCES selfservice_flows (id) ON DELETE CASCADE,
  token_type text NOT NULL DEFAULT 'user' CHECK (token_type IN ('user', 'admin')),
  attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS selfservice_recovery_tokens_secret_idx ON selfservice_recovery_tokens (secret_hash);
CREATE INDEX IF NOT EXISTS selfservice_recovery_tokens_flow_idx ON selfservice_recovery_tokens (flow_id);

CREATE TABLE IF NOT EXISTS selfservice_verification_tokens (
  id uuid PRIMARY KEY,
  strategy text NOT NULL CHECK (strategy IN ('link', 'code')),
  secret_hash bytea NOT NULL,
  verifiable_address_id uuid NOT NULL REFERENCES identity_verifiable_addresses (id) ON DELETE CASCADE,
  flow_id uuid REFERENCES selfservice_flows (id) ON DELETE CASCADE,
  attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS selfservice_verification_tokens_secret_idx ON selfservice_verification_tokens (secret_hash);
CREATE INDEX IF NOT EXISTS selfservice_verification_tokens_flow_idx ON selfservice_verification_tokens (flow_id);
