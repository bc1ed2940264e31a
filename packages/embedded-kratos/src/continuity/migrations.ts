import type { Migration } from "../storage/migrate";

/** Kratos' continuity_containers table (continuity/container.go), without `nid`: this server serves one network. */
export const continuityMigrations: Migration[] = [
  {
    id: "continuity_0001_containers",
    sql: `
CREATE TABLE IF NOT EXISTS continuity_containers (
  id uuid PRIMARY KEY,
  identity_id uuid REFERENCES identities (id) ON DELETE CASCADE,
  name text NOT NULL,
  payload jsonb,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS continuity_containers_expires_at_idx ON continuity_containers (expires_at);`,
  },
];
