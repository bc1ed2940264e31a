-- Abuse-limit counters (olympus-limits.yml, src/ratelimit): one row per
-- (bucket, key), shared by every process on this database so limits hold
-- across restarts and instances. Keys are SHA-256 digests: no identifier or
-- IP address is stored in clear.
CREATE TABLE IF NOT EXISTS olympus_rate_limits (
  bucket text NOT NULL,
  key_hash bytea NOT NULL,
  hits integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  blocked_until timestamptz,
  -- When the row no longer matters (window over and no block): the cleanup deletes it.
  expires_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bucket, key_hash)
);
CREATE INDEX IF NOT EXISTS olympus_rate_limits_expires_idx ON olympus_rate_limits (expires_at);
