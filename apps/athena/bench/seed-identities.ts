import pg from "pg";

/**
 * Seeds many CIAM identities straight into a Kratos database, fast and
 * without hashing a password per identity: one template identity is created
 * through Kratos' own admin API (so every row it writes — identity,
 * password credential with its identifier, verifiable and recovery
 * addresses — is exactly what Kratos writes), then Postgres copies the
 * template's rows `total` times with `INSERT … SELECT … generate_series`,
 * replacing ids, the email (traits, identifiers, addresses), the last name
 * and the state (every tenth inactive). Every column the template row has is
 * copied, so a column added by a later migration is filled too.
 */
const TEMPLATE_EMAIL = "bench-template@example.com";
const CHUNK = 100_000;

export const benchEmail = (n: number) => `bench-${String(n).padStart(7, "0")}@example.com`;
const EMAIL_SQL = "('bench-' || lpad(n::text, 7, '0') || '@example.com')";
/** Deterministic, distinct uuids per row kind and number: children can name their parent without a lookup. */
const uuid = (kind: string, extra = "") => `md5('${kind}' ${extra ? `|| ${extra} ` : ""}|| n::text)::uuid`;

interface SeedOptions {
  adminUrl: string;
  adminToken: string;
  total: number;
  onProgress?: (done: number) => void;
}

async function columnsOf(db: pg.Client, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
    [table],
  );
  if (rows.length === 0) throw new Error(`seed: table ${table} does not exist`);
  return rows.map((r) => r.column_name);
}

/** `INSERT INTO table (cols) SELECT <override or t.col>, … FROM generate_series(from, to) n, (template) t`. */
async function copyTemplate(
  db: pg.Client,
  table: string,
  template: string,
  overrides: Record<string, string>,
  range: [number, number],
  params: unknown[],
): Promise<void> {
  const columns = await columnsOf(db, table);
  const select = columns.map((c) => overrides[c] ?? `t.${c}`).join(", ");
  await db.query(
    `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${select} FROM generate_series(${range[0]}, ${range[1]}) n, (${template}) t`,
    params,
  );
}

export async function seedIdentities(dsn: string, options: SeedOptions): Promise<void> {
  const created = await fetch(`${options.adminUrl}/admin/identities`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${options.adminToken}` },
    body: JSON.stringify({
      schema_id: "customer",
      traits: { email: TEMPLATE_EMAIL, name: { first: "Bench", last: "Template" } },
      // Hashed once, by Kratos; every copy shares the hash.
      credentials: { password: { config: { password: "bench-password-correct-horse-1" } } },
    }),
  });
  if (created.status !== 201) throw new Error(`seed: the template identity: ${created.status} ${await created.text()}`);
  const { id: templateId } = (await created.json()) as { id: string };

  const db = new pg.Client({ connectionString: dsn });
  await db.connect();
  try {
    await db.query("SET synchronous_commit = off");
    const email = EMAIL_SQL;
    const swapEmail = (column: string) => `replace(t.${column}, $2, ${email})`;
    for (let from = 1; from <= options.total; from += CHUNK) {
      const range: [number, number] = [from, Math.min(options.total, from + CHUNK - 1)];
      await db.query("BEGIN");
      await copyTemplate(
        db,
        "identities",
        "SELECT * FROM identities WHERE id = $1",
        {
          id: uuid("identity"),
          state: "CASE WHEN n % 10 = 0 THEN 'inactive' ELSE 'active' END",
          traits: `jsonb_set(jsonb_set(t.traits, '{email}', to_jsonb(${email})), '{name,last}', to_jsonb('Customer ' || n::text))`,
          external_id: "NULL",
          created_at: "t.created_at - n * interval '1 second'",
          updated_at: "t.updated_at - n * interval '1 second'",
        },
        range,
        [templateId],
      );
      await copyTemplate(
        db,
        "identity_credentials",
        "SELECT * FROM identity_credentials WHERE identity_id = $1",
        {
          id: uuid("credential", "t.type"),
          identity_id: uuid("identity"),
        },
        range,
        [templateId],
      );
      await copyTemplate(
        db,
        "identity_credential_identifiers",
        "SELECT ci.*, c.type AS credential_type FROM identity_credential_identifiers ci JOIN identity_credentials c ON c.id = ci.identity_credential_id WHERE ci.identity_id = $1",
        {
          id: uuid("identifier", "t.type || t.identifier"),
          identity_credential_id: uuid("credential", "t.credential_type"),
          identity_id: uuid("identity"),
          identifier: swapEmail("identifier"),
        },
        range,
        [templateId, TEMPLATE_EMAIL],
      );
      for (const [table, kind] of [
        ["identity_verifiable_addresses", "verifiable"],
        ["identity_recovery_addresses", "recovery"],
      ] as const) {
        await copyTemplate(
          db,
          table,
          `SELECT * FROM ${table} WHERE identity_id = $1`,
          { id: uuid(kind, "t.via"), identity_id: uuid("identity"), value: swapEmail("value") },
          range,
          [templateId, TEMPLATE_EMAIL],
        );
      }
      await db.query("COMMIT");
      options.onProgress?.(range[1]);
    }
    await db.query(
      "ANALYZE identities, identity_credentials, identity_credential_identifiers, identity_verifiable_addresses, identity_recovery_addresses",
    );
  } finally {
    await db.end();
  }
  // The template was only a pattern: exactly `total` identities remain.
  const deleted = await fetch(`${options.adminUrl}/admin/identities/${templateId}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${options.adminToken}` },
  });
  if (deleted.status !== 204) throw new Error(`seed: deleting the template identity: ${deleted.status}`);
}
