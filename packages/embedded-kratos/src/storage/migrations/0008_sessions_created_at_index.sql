-- Kratos' sessions_nid_created_at_id_idx
-- (persistence/sql/migrations/sql/20240119094628000000_sessions_created_at_index):
-- the admin session list pages newest first (created_at DESC, then id), and
-- an identity's sessions are listed and counted in that order.
CREATE INDEX IF NOT EXISTS sessions_created_at_id_idx ON sessions (created_at DESC, id ASC);
CREATE INDEX IF NOT EXISTS sessions_identity_created_at_idx ON sessions (identity_id, created_at DESC, id ASC);
