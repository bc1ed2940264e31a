-- Identities, their credentials and addresses.
CREATE TABLE IF NOT EXISTS identities (
  id uuid PRIMARY KEY,
  schema_id text NOT NULL,
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'inactive')),
  state_changed_at timestamptz,
  traits jsonb NOT NULL,
  metadata_public jsonb,
  metadata_admin jsonb,
  external_id text,
  organization_id uuid,
  available_aal text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS identities_external_id_uq ON identities (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS identity_credentials (
  id uuid PRIMARY KEY,
  identity_id uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  type text NOT NULL,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (identity_id, type)
);

-- One identifier may belong to one identity per credential type (e.g. an email for password login).
CREATE TABLE IF NOT EXISTS identity_credential_identifiers (
  id uuid PRIMARY KEY,
  identity_credential_id uuid NOT NULL REFERENCES identity_credentials (id) ON DELETE CASCADE,
  identity_id uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  type text NOT NULL,
  identifier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (type, identifier)
);
CREATE INDEX IF NOT EXISTS identity_credential_identifiers_identifier_idx ON identity_credential_identifiers (identifier);
CREATE INDEX IF NOT EXISTS identity_credential_identifiers_identity_idx ON identity_credential_identifiers (identity_id);

CREATE TABLE IF NOT EXISTS identity_verifiable_addresses (
  id uuid PRIMARY KEY,
  identity_id uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  via text NOT NULL,
  value text NOT NULL,
  verified boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'pending',
  verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (via, value)
);
CREATE INDEX IF NOT EXISTS identity_verifiable_addresses_identity_idx ON identity_verifiable_addresses (identity_id);

CREATE TABLE IF NOT EXISTS identity_recovery_addresses (
  id uuid PRIMARY KEY,
  identity_id uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
  via text NOT NULL,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (via, value)
);
CREATE INDEX IF NOT EXISTS identity_recovery_addresses_identity_idx ON identity_recovery_addresses (identity_id);
