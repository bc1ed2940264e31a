-- Kratos' identity_credential_identifiers_nid_identity_credential_id_idx
-- (persistence/sql/migrations/sql/20220118104539000001_identity_fk_indexes):
-- an identity's credentials are loaded with their identifiers by credential
-- id (the admin list, every login), which without it scans every identifier.
CREATE INDEX IF NOT EXISTS identity_credential_identifiers_credential_idx ON identity_credential_identifiers (identity_credential_id);
